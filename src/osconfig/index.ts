// The one entry point of the OS configuration renderers:
//   render(osId, facts) -> Rendering     (validates first; throws typed errors)
// plus the OS catalogue (listOs, detectOs) and validateFacts for callers that
// want the problems without an exception. Pure: no I/O, clock or randomness.

import type { EniFacts } from './facts.ts';
import { InvalidFactsError, type FactsProblem } from './errors.ts';
import { findOs, type OsEntry } from './os-catalog.ts';
import type { Rendering, TargetId } from './rendering.ts';
import { validateFacts } from './validate-facts.ts';
import { MAX_LINUX_IFNAME_LENGTH } from './limits.ts';
import { renderNmcli } from './nmcli.ts';
import { renderRhelIfcfg } from './rhel-ifcfg.ts';
import { renderNetplanDefaultRoute, renderNetplanGateway4 } from './netplan.ts';
import { renderIfupdown } from './ifupdown.ts';
import { renderSlesIfcfg } from './sles-ifcfg.ts';
import { renderWindows } from './windows.ts';

export type { EniFacts } from './facts.ts';
export type { Rendering } from './rendering.ts';
export { InvalidFactsError, UnsupportedOsError } from './errors.ts';
export { detectOs, listOs, supportedOsIds } from './os-catalog.ts';
export { validateFacts } from './validate-facts.ts';

type Renderer = (facts: EniFacts, os: OsEntry) => Rendering;

const RENDERERS: Record<TargetId, Renderer> = {
  nmcli: renderNmcli,
  'rhel-ifcfg': renderRhelIfcfg,
  'netplan-gateway4': renderNetplanGateway4,
  'netplan-default-route': renderNetplanDefaultRoute,
  ifupdown: renderIfupdown,
  'sles-ifcfg': renderSlesIfcfg,
  windows: renderWindows,
};

/** targets that name each secondary IPv4 address with an "ethX:N" label */
const ALIAS_TARGETS: ReadonlySet<TargetId> = new Set(['rhel-ifcfg', 'ifupdown', 'sles-ifcfg']);

/** problems only one target has: alias labels must fit in a Linux interface name */
function targetProblems(facts: EniFacts, target: TargetId): FactsProblem[] {
  if (!ALIAS_TARGETS.has(target) || facts.ipv4.secondaries.length === 0) return [];
  const longest = `${facts.interfaceName}:${facts.ipv4.secondaries.length - 1}`;
  return longest.length > MAX_LINUX_IFNAME_LENGTH
    ? [{ path: 'interfaceName', message: `the alias label ${longest} is longer than ${MAX_LINUX_IFNAME_LENGTH} characters` }]
    : [];
}

/**
 * Renders the guest configuration for one ENI on one OS. Throws
 * UnsupportedOsError (unknown id, with the list of ids) or InvalidFactsError
 * (every problem at once).
 */
export function render(osId: string, facts: EniFacts): Rendering {
  const os = findOs(osId);
  const checked = validateFacts(facts);
  if (!checked.ok) throw new InvalidFactsError(checked.problems);
  const problems = targetProblems(checked.facts, os.target);
  if (problems.length > 0) throw new InvalidFactsError(problems);
  return RENDERERS[os.target](checked.facts, os);
}
