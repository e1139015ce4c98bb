// Turning the dialog's rows into requests, and running them with a fake API.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan, planChanges, type AddressAction } from '../../src/console/logic/apply-plan.ts';
import type { IpRow } from '../../src/console/logic/ip-rows.ts';

const auto = (key: string): IpRow => ({ key, mode: 'auto', address: '' });
const manual = (key: string, address: string): IpRow => ({ key, mode: 'manual', address });
const none = { removing: [], rows: [] };

describe('planChanges', () => {
  it('removals first, then IPv4 manual, IPv4 count, IPv6 manual, IPv6 count', () => {
    const steps = planChanges(
      'eni-1',
      { removing: ['10.0.0.7'], rows: [auto('a'), manual('b', '10.0.0.9'), auto('c')] },
      { removing: ['2408::7'], rows: [manual('d', '2408:0::9'), auto('e')] },
    );
    assert.deepEqual(
      steps.map((s) => [s.action, s.kind]),
      [
        ['UnassignPrivateIpAddresses', 'unassign'],
        ['UnassignIpv6Addresses', 'unassign'],
        ['AssignPrivateIpAddresses', 'manual'],
        ['AssignPrivateIpAddresses', 'auto'],
        ['AssignIpv6Addresses', 'manual'],
        ['AssignIpv6Addresses', 'auto'],
      ],
    );
    assert.deepEqual(steps[0].params, { NetworkInterfaceId: 'eni-1', 'PrivateIpAddress.1': '10.0.0.7' });
    assert.deepEqual(steps[2].params, { NetworkInterfaceId: 'eni-1', 'PrivateIpAddress.1': '10.0.0.9' });
    assert.deepEqual(steps[3].params, { NetworkInterfaceId: 'eni-1', SecondaryPrivateIpAddressCount: '2' });
    assert.deepEqual(steps[4].params, { NetworkInterfaceId: 'eni-1', 'Ipv6Address.1': '2408::9' });
    assert.deepEqual(steps[5].params, { NetworkInterfaceId: 'eni-1', Ipv6AddressCount: '1' });
  });

  it('one request per family when the rows are all of one kind', () => {
    const steps = planChanges('eni-1', { removing: [], rows: [manual('a', '10.0.0.9'), manual('b', '10.0.0.10')] }, none);
    assert.equal(steps.length, 1);
    assert.deepEqual(steps[0].params, { NetworkInterfaceId: 'eni-1', 'PrivateIpAddress.1': '10.0.0.9', 'PrivateIpAddress.2': '10.0.0.10' });
  });
});

type Call = [AddressAction, Record<string, string>];

function fakeApi(refuse: (action: AddressAction, params: Record<string, string>) => { code: string; message: string } | undefined) {
  const calls: Call[] = [];
  let next = 100;
  return {
    calls,
    run: async (action: AddressAction, params: Record<string, string>) => {
      calls.push([action, params]);
      const r = refuse(action, params);
      if (r) throw Object.assign(new Error(r.message), { code: r.code, requestId: 'REQ' });
      if (action === 'AssignPrivateIpAddresses') {
        const named = Object.entries(params)
          .filter(([k]) => k.startsWith('PrivateIpAddress.'))
          .map(([, v]) => v);
        return named.length ? named : Array.from({ length: Number(params.SecondaryPrivateIpAddressCount) }, () => `10.0.0.${next++}`);
      }
      return [];
    },
  };
}

describe('applyPlan', () => {
  it('runs every step and reports what was applied', async () => {
    const api = fakeApi(() => undefined);
    const steps = planChanges('eni-1', { removing: ['10.0.0.7'], rows: [auto('a'), manual('b', '10.0.0.9')] }, none);
    const out = await applyPlan(steps, api.run);
    assert.equal(out.ok, true);
    assert.deepEqual(out.unassigned[4], ['10.0.0.7']);
    assert.deepEqual(out.assigned[4], ['10.0.0.9', '10.0.0.100']);
    assert.equal(out.done.length, 3);
  });

  it('stops at the first refusal and keeps its Code and Message', async () => {
    const api = fakeApi((a) =>
      a === 'AssignPrivateIpAddresses'
        ? { code: 'InvalidVSwitchId.IpInvalid', message: 'The specified IpAddress is not valid in VSwitch CIDR block.' }
        : undefined,
    );
    const steps = planChanges('eni-1', { removing: ['10.0.0.7'], rows: [manual('b', '10.0.0.253')] }, { removing: [], rows: [auto('c')] });
    const out = await applyPlan(steps, api.run);
    assert.equal(out.ok, false);
    assert.equal(out.error?.code, 'InvalidVSwitchId.IpInvalid');
    assert.equal(out.error?.message, 'The specified IpAddress is not valid in VSwitch CIDR block.');
    assert.equal(out.error?.requestId, 'REQ');
    assert.deepEqual(out.unassigned[4], ['10.0.0.7'], 'the removal before it stays applied');
    assert.equal(api.calls.length, 2, 'nothing after the refusal is sent');
  });

  it('when the count request of a family is refused, the manual addresses it just added are released again', async () => {
    const api = fakeApi((_a, p) =>
      p.SecondaryPrivateIpAddressCount ? { code: 'MaxEniPrivateIpsCountExceeded', message: 'at most 10' } : undefined,
    );
    const steps = planChanges('eni-1', { removing: [], rows: [manual('a', '10.0.0.9'), auto('b')] }, none);
    const out = await applyPlan(steps, api.run);
    assert.equal(out.ok, false);
    assert.deepEqual(out.rolledBack, ['10.0.0.9']);
    assert.deepEqual(out.assigned[4], []);
    assert.deepEqual(out.done, []);
    assert.deepEqual(api.calls[2], ['UnassignPrivateIpAddresses', { NetworkInterfaceId: 'eni-1', 'PrivateIpAddress.1': '10.0.0.9' }]);
  });

  it('says so when releasing them fails too', async () => {
    const api = fakeApi((a, p) =>
      p.SecondaryPrivateIpAddressCount ? { code: 'X', message: 'x' } : a.startsWith('Unassign') ? { code: 'Y', message: 'y' } : undefined,
    );
    const out = await applyPlan(planChanges('eni-1', { removing: [], rows: [manual('a', '10.0.0.9'), auto('b')] }, none), api.run);
    assert.equal(out.rollbackError?.code, 'Y');
    assert.deepEqual(out.assigned[4], ['10.0.0.9']);
  });

  it('a network failure becomes Console.NetworkError', async () => {
    const out = await applyPlan(planChanges('eni-1', { removing: [], rows: [auto('a')] }, none), async () => {
      throw new TypeError('Failed to fetch');
    });
    assert.equal(out.error?.code, 'Console.NetworkError');
  });
});
