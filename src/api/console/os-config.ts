// GET /console/api/eni/<id>/os-config?os=<osId>[&regionId=..][&interface=eth1]:
// the guest configuration for one ENI, rendered by src/osconfig from the ENI
// as the caller's account sees it (the seed's "Configure the OS" step).
import type { Eni } from '../../domain/model.ts';
import { describeEni } from '../../service/describe-enis.ts';
import { describeVSwitches } from '../../service/networks.ts';
import { toEniFacts } from '../../service/eni-facts.ts';
import type { Caller, ServiceDeps } from '../../service/deps.ts';
import { InvalidFactsError, listOs, render, UnsupportedOsError, type EniFacts, type Rendering } from '../../osconfig/index.ts';
import { wireErrors } from '../errors.ts';

export interface OsConfigAnswer {
  eniId: string;
  facts: EniFacts;
  /** what the console had to assume (an unbound ENI has no device index yet) */
  assumptions: string[];
  rendering: Rendering;
}

export function osCatalog() {
  return listOs().map((o) => ({ id: o.id, name: o.name, family: o.family, target: o.target }));
}

/** What the console has to assume about an ENI's facts (built by service/eni-facts' toEniFacts, as for `eniplane render`). */
function assumptionsFor(eni: Pick<Eni, 'type' | 'deviceIndex'>): string[] {
  return eni.type === 'Secondary' && eni.deviceIndex === null
    ? [
        'The ENI is not bound to an instance, so it has no device index yet: device index 1 (eth1) is assumed. Bind it first for the exact values.',
      ]
    : [];
}

export async function osConfigFor(
  deps: ServiceDeps,
  caller: Caller,
  q: { regionId?: string; eniId: string; osId: string; interfaceName?: string },
): Promise<OsConfigAnswer> {
  const eni = await describeEni(deps, caller, { regionId: q.regionId, eniId: q.eniId });
  const vsws = await describeVSwitches(deps, caller, { regionId: eni.regionId, ids: [eni.vSwitchId] }, { limit: 1 });
  const vsw = vsws.items[0];
  if (!vsw) throw wireErrors.vSwitchNotFound();
  const facts = toEniFacts(eni, vsw);
  if (q.interfaceName) facts.interfaceName = q.interfaceName;
  const assumptions = assumptionsFor(eni);
  try {
    return { eniId: eni.id, facts, assumptions, rendering: render(q.osId, facts) };
  } catch (e) {
    if (e instanceof UnsupportedOsError) {
      throw wireErrors.invalidParameter('os', `Supported: ${e.supportedIds.join(', ')}.`);
    }
    if (e instanceof InvalidFactsError) {
      throw wireErrors.consoleOsConfigUnrenderable(e.problems.map((p) => `${p.path || 'facts'}: ${p.message}`).join('; '));
    }
    throw e;
  }
}
