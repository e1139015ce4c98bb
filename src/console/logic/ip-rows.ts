// The Manage ENI IP Addresses dialog's checks, as pure functions: given what
// the ENI holds, what the operator marked for removal and the rows added with
// Increase, say for each row what the API will answer — with the API's own
// Code and Message. The rules are not copied: the address math is src/ipam's,
// the cap is domain/eni-rules' addressCap, and the wording is api/errors.ts'
// table, the same code the server runs.
//
// Only an empty "Enter manually" row blocks Confirm (there is nothing to
// send). Every other finding is a prediction: the row is marked, Confirm stays
// available, and the API's answer (the authority: another session may have
// changed the ENI meanwhile) is what the dialog finally shows.
import { ERROR_TABLE } from '../../api/errors.ts';
import { addressSlotsUsed } from '../../domain/eni-rules.ts';
import type { DomainErrorCode, DomainErrorDetails } from '../../domain/errors.ts';
import {
  canonicalIpv6,
  formatIpv4,
  formatIpv4Cidr,
  ipv4Gateway,
  ipv4InCidr,
  ipv6InCidr,
  isReservedIpv4,
  isReservedIpv6,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv6Cidr,
  type Ipv4Cidr,
  type Ipv6Cidr,
} from '../../ipam/index.ts';

export type IpFamily = 4 | 6;
type RowMode = 'auto' | 'manual';

/** One row added with Increase. */
export interface IpRow {
  key: string;
  mode: RowMode;
  /** the text typed in "Enter manually" mode (kept when switching modes) */
  address: string;
}

/** How many addresses of the family the ENI may hold now, and the error the API gives beyond it. */
export interface FamilyQuota {
  max: number;
  errorCode: DomainErrorCode;
}

export interface FamilyState {
  family: IpFamily;
  /** the vSwitch CIDR of this family; null when the vSwitch has no IPv6 block */
  cidr: string | null;
  /** every address of the family on the ENI now (the primary IPv4 included) */
  assigned: readonly string[];
  /** the primary IPv4, which cannot be removed */
  primary?: string;
  /** assigned addresses marked for removal (applied before the additions) */
  removing: readonly string[];
  quota: FamilyQuota;
  /** the ENI's IP prefixes of the family: each holds one address slot of the cap (domain/eni-rules) */
  prefixes?: readonly string[];
  /** what Confirm does to the prefixes, after the addresses: how many it unassigns and assigns */
  prefixChange?: { removing: number; adding: number };
}

interface RowIssue {
  /** the API's Code, or "Console.*" for what never reaches the API */
  code: string;
  message: string;
  /** a plain-words explanation next to the API's message */
  hint?: string;
  /** true only when there is nothing to send */
  blocking: boolean;
}

export interface FamilyCheck {
  /** the first issue of each row, by row key */
  issues: Record<string, RowIssue | undefined>;
  /** addresses of the family once everything is applied */
  total: number;
  /** how many more addresses fit after the removals and the rows (negative: over the cap) */
  left: number;
  blocking: boolean;
  /** rows the API is expected to refuse */
  refusals: number;
}

/** The exact Code and Message the API answers for a domain error. */
export function apiError(code: DomainErrorCode, details: DomainErrorDetails = {}): { code: string; message: string } {
  const spec = ERROR_TABLE[code];
  return { code: spec.code, message: spec.message(details) };
}

const issue = (code: DomainErrorCode, details: DomainErrorDetails, hint?: string): RowIssue => ({
  ...apiError(code, details),
  hint,
  blocking: false,
});

/** Canonical text of an address of the family, or undefined when it is not one (strict, as the API parses). */
export function canonicalAddress(family: IpFamily, text: string): string | undefined {
  const t = text.trim();
  try {
    return family === 4 ? formatIpv4(parseIpv4(t)) : canonicalIpv6(t);
  } catch {
    return undefined;
  }
}

/** Why an address cannot be used in the vSwitch, in plain words; undefined when it can. */
export function vSwitchProblem(family: IpFamily, cidrText: string, canonical: string): string | undefined {
  if (family === 4) {
    const cidr: Ipv4Cidr = parseIpv4Cidr(cidrText);
    const n = parseIpv4(canonical);
    if (!ipv4InCidr(cidr, n)) return `${canonical} is outside the vSwitch CIDR block ${formatIpv4Cidr(cidr)}.`;
    if (isReservedIpv4(cidr, n)) {
      const which = n === cidr.base ? 'the network address' : n === ipv4Gateway(cidr) ? 'the gateway' : 'reserved';
      return `${canonical} is ${which}: the first and the last three addresses of ${formatIpv4Cidr(cidr)} are reserved.`;
    }
    return undefined;
  }
  const cidr: Ipv6Cidr = parseIpv6Cidr(cidrText, 64);
  if (!ipv6InCidr(cidr, canonical)) return `${canonical} is outside the vSwitch IPv6 CIDR block ${cidrText}.`;
  if (isReservedIpv6(cidr, canonical))
    return `${canonical} is reserved in ${cidrText} (the subnet-router anycast, the gateway ::1 or an IANA-reserved interface id).`;
  return undefined;
}

/**
 * What the family will hold once applied, and how many more fit. `kept` is what holds slots when the
 * address rows are assigned: the addresses not removed plus every prefix (prefix calls come after the
 * address calls), counted by eni-rules' addressSlotsUsed, the server's own rule; `total` adds the rows
 * and the prefix changes.
 */
export function familyBudget(state: FamilyState, rowCount: number): { kept: number; total: number; left: number } {
  const removing = new Set(state.removing);
  const prefixes = [...(state.prefixes ?? [])];
  const kept = addressSlotsUsed(
    {
      addresses: state.assigned.filter((a) => !removing.has(a)).map(() => ({ family: state.family })),
      ipv4Prefixes: state.family === 4 ? prefixes : [],
      ipv6Prefixes: state.family === 6 ? prefixes : [],
    },
    state.family,
  );
  const change = state.prefixChange ?? { removing: 0, adding: 0 };
  const total = kept + rowCount - change.removing + change.adding;
  return { kept, total, left: state.quota.max - total };
}

export function checkFamily(state: FamilyState, rows: readonly IpRow[]): FamilyCheck {
  const issues: Record<string, RowIssue | undefined> = {};
  const label = state.family === 4 ? 'IPv4' : 'IPv6';
  const { kept, total, left } = familyBudget(state, rows.length);
  const stillHeld = new Set(state.assigned.filter((a) => !state.removing.includes(a)).map((a) => canonicalAddress(state.family, a) ?? a));
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    let found: RowIssue | undefined;
    if (row.mode === 'manual') {
      const text = row.address.trim();
      const canonical = text === '' ? undefined : canonicalAddress(state.family, text);
      if (text === '') {
        found = {
          code: 'Console.AddressRequired',
          message: `Enter an ${label} address, or switch the row to Auto-assign.`,
          blocking: true,
        };
      } else if (canonical === undefined) {
        found = issue('AddressMalformed', { address: text }, `"${text}" is not an ${label} address.`);
      } else if (state.cidr === null) {
        found = issue('VSwitchIpv6NotEnabled', {}, 'The vSwitch of this ENI has no IPv6 CIDR block.');
      } else {
        const problem = vSwitchProblem(state.family, state.cidr, canonical);
        if (problem) found = issue('AddressInvalidForVSwitch', { address: canonical }, problem);
        else if (seen.has(canonical)) found = issue('AddressRepeated', { address: canonical }, `${canonical} is entered twice.`);
        else if (stillHeld.has(canonical))
          found = issue('AddressInUse', { address: canonical }, `${canonical} is already assigned to this ENI.`);
      }
      if (canonical !== undefined) seen.add(canonical);
    } else if (state.cidr === null) {
      found = issue('VSwitchIpv6NotEnabled', {}, 'The vSwitch of this ENI has no IPv6 CIDR block.');
    }
    // The cap: rows past the quota are refused as a whole request by the API (checked before any address).
    if (!found && kept + index + 1 > state.quota.max) {
      found = issue(
        state.quota.errorCode,
        { max: state.quota.max },
        `This ENI can hold ${state.quota.max} ${label} addresses${state.family === 4 ? ' including the primary one' : ''} in its current state (each IP prefix counts as one); ${kept} will remain.`,
      );
    }
    issues[row.key] = found;
  });
  const list = Object.values(issues).filter((i): i is RowIssue => i !== undefined);
  return { issues, total, left, blocking: list.some((i) => i.blocking), refusals: list.filter((i) => !i.blocking).length };
}

/** The manual addresses (canonical when valid, else as typed) and the auto count of a family's rows. */
export function splitRows(family: IpFamily, rows: readonly IpRow[]): { manual: string[]; autoCount: number } {
  const manual = rows.filter((r) => r.mode === 'manual').map((r) => canonicalAddress(family, r.address) ?? r.address.trim());
  return { manual, autoCount: rows.filter((r) => r.mode === 'auto').length };
}

/** A placeholder for "Enter manually": a usable address of the vSwitch, to show the expected form. */
export function examplePlaceholder(family: IpFamily, cidr: string | null): string {
  if (!cidr) return family === 4 ? 'e.g. 192.168.1.202' : 'e.g. 2408:4000:1::10';
  if (family === 4) {
    const c = parseIpv4Cidr(cidr);
    return `e.g. ${formatIpv4(c.base + Math.min(10, c.size - 5))}`;
  }
  return `e.g. ${parseIpv6Cidr(cidr, 64).prefix.replace(/::$/, '')}::10`;
}
