// Property test over the service layer: random sequences of ENI and address
// operations (valid and invalid) never break the invariants the database and
// the rules promise — no address twice in a vSwitch, no ENI over its cap, the
// security groups' IP counters equal the addresses they really hold, refused
// operations change nothing.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { createDeps } from '../../src/service/create-deps.ts';
import { ensureRootAccount } from '../../src/service/accounts.ts';
import { createSecurityGroup, createVpc, createVSwitch } from '../../src/service/networks.ts';
import { createEni } from '../../src/service/create-eni.ts';
import { assignIpv6, assignPrivateIps, unassignPrivateIps } from '../../src/service/eni-addresses.ts';
import { attachEni, deleteEni, detachEni, modifyEni } from '../../src/service/eni-lifecycle.ts';
import { runInstances, stopInstance, deleteInstance } from '../../src/service/instances.ts';
import { describeEnis } from '../../src/service/describe-enis.ts';
import { isDomainError } from '../../src/domain/errors.ts';
import type { Eni } from '../../src/domain/model.ts';

type Op =
  | { kind: 'create'; secondaries: number; sg: number }
  | { kind: 'assign'; eni: number; count: number }
  | { kind: 'assignNamed'; eni: number; last: number }
  | { kind: 'assign6'; eni: number; count: number }
  | { kind: 'unassign'; eni: number; pick: number }
  | { kind: 'attach'; eni: number; instance: number }
  | { kind: 'detach'; eni: number }
  | { kind: 'delete'; eni: number }
  | { kind: 'moveSg'; eni: number; sg: number }
  | { kind: 'deleteInstance'; instance: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), secondaries: fc.integer({ min: 0, max: 10 }), sg: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('assign' as const), eni: fc.nat(), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('assignNamed' as const), eni: fc.nat(), last: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('assign6' as const), eni: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('unassign' as const), eni: fc.nat(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('attach' as const), eni: fc.nat(), instance: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('detach' as const), eni: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), eni: fc.nat() }),
  fc.record({ kind: fc.constant('moveSg' as const), eni: fc.nat(), sg: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ kind: fc.constant('deleteInstance' as const), instance: fc.integer({ min: 0, max: 1 }) }),
);

it('random operation sequences keep every invariant', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 45 }), async (ops) => {
      const dir = mkdtempSync(join(tmpdir(), 'eniplane-prop-'));
      const store = new SqliteStore(join(dir, 'db.sqlite'));
      // A small capacity on the basic group so that limit is hit too.
      const deps = createDeps(store, { limits: { transitionMs: 0, basicSecurityGroupIpCapacity: 25 } });
      try {
        const root = await ensureRootAccount(deps);
        const caller = { accountId: root.accountId };
        const vpc = await createVpc(deps, caller, { cidrBlock: '10.0.0.0/16', enableIpv6: true });
        // A /26: 60 usable, so the vSwitch can fill up.
        const vsw = await createVSwitch(deps, caller, {
          vpcId: vpc.id,
          zoneId: 'cn-hangzhou-h',
          cidrBlock: '10.0.0.0/26',
          ipv6CidrBlock: 0,
        });
        const sgs = [
          await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'normal' }),
          await createSecurityGroup(deps, caller, { vpcId: vpc.id, type: 'enterprise' }),
        ];
        const instances = await runInstances(deps, caller, {
          instanceType: 'ecs.g6.large',
          vSwitchId: vsw.id,
          securityGroupIds: [sgs[1].id],
          amount: 2,
        });
        const enis: string[] = [];
        const snapshot = async () => (await describeEnis(deps, caller, {}, { limit: 500 })).items;
        for (const o of ops) {
          const before = await snapshot();
          const pick = (n: number) => enis[n % Math.max(1, enis.length)];
          try {
            switch (o.kind) {
              case 'create':
                enis.push(
                  (
                    await createEni(deps, caller, {
                      vSwitchId: vsw.id,
                      securityGroupIds: [sgs[o.sg].id],
                      secondaryIpv4: o.secondaries ? { count: o.secondaries } : undefined,
                    })
                  ).id,
                );
                break;
              case 'assign':
                if (enis.length) await assignPrivateIps(deps, caller, { eniId: pick(o.eni), request: { count: o.count } });
                break;
              case 'assignNamed':
                if (enis.length) await assignPrivateIps(deps, caller, { eniId: pick(o.eni), request: { addresses: [`10.0.0.${o.last}`] } });
                break;
              case 'assign6':
                if (enis.length) await assignIpv6(deps, caller, { eniId: pick(o.eni), request: { count: o.count } });
                break;
              case 'unassign': {
                const e = before.find((x) => x.id === pick(o.eni));
                const sec = e?.addresses.filter((a) => a.family === 4 && !a.primary) ?? [];
                if (e && sec.length) await unassignPrivateIps(deps, caller, { eniId: e.id, addresses: [sec[o.pick % sec.length].address] });
                break;
              }
              case 'attach':
                if (enis.length) await attachEni(deps, caller, { eniId: pick(o.eni), instanceId: instances[o.instance] });
                break;
              case 'detach': {
                const e = before.find((x) => x.id === pick(o.eni));
                if (e?.instanceId) await detachEni(deps, caller, { eniId: e.id, instanceId: e.instanceId });
                break;
              }
              case 'delete':
                if (enis.length) await deleteEni(deps, caller, { eniId: pick(o.eni) });
                break;
              case 'moveSg':
                if (enis.length) await modifyEni(deps, caller, { eniId: pick(o.eni), securityGroupIds: [sgs[o.sg].id] });
                break;
              case 'deleteInstance': {
                await stopInstance(deps, caller, { instanceId: instances[o.instance] }).catch(() => undefined);
                await deleteInstance(deps, caller, { instanceId: instances[o.instance] });
                break;
              }
            }
          } catch (e) {
            if (!isDomainError(e)) throw e;
            assert.deepEqual(normalize(await snapshot()), normalize(before), `refused ${o.kind} (${e.code}) changed something`);
          }
          await checkInvariants(
            deps,
            await snapshot(),
            sgs.map((g) => g.id),
          );
        }
      } finally {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: 25 },
  );
});

function normalize(enis: Eni[]) {
  return enis.map((e) => ({
    id: e.id,
    status: e.status,
    instanceId: e.instanceId,
    sgs: e.securityGroupIds,
    addresses: e.addresses.map((a) => a.address).sort(),
  }));
}

async function checkInvariants(deps: ReturnType<typeof createDeps>, enis: Eni[], sgIds: string[]) {
  const all = enis.flatMap((e) => e.addresses.map((a) => a.address));
  assert.equal(new Set(all).size, all.length, 'an address is held twice');
  for (const e of enis) {
    const v4 = e.addresses.filter((a) => a.family === 4);
    assert.equal(v4.filter((a) => a.primary).length, 1, 'exactly one primary IPv4');
    const cap = e.status === 'Available' ? 10 : 6; // ecs.g6.large: 6 IPv4, 1 IPv6 per ENI
    assert.ok(v4.length <= cap, `${e.id} (${e.status}) holds ${v4.length} IPv4`);
    assert.ok(e.addresses.filter((a) => a.family === 6).length <= (e.status === 'Available' ? 10 : 1));
  }
  await deps.store.transaction(
    async (tx) => {
      for (const id of sgIds) {
        const g = await tx.securityGroups.get(enis[0]?.accountId ?? (await tx.accounts.list())[0].id, id);
        const held = enis.filter((e) => e.securityGroupIds.includes(id)).reduce((n, e) => n + e.addresses.length, 0);
        assert.equal(g!.ipCount, held, `security group ${id} counter`);
        if (g!.type === 'normal') assert.ok(held <= 25);
      }
    },
    { readOnly: true },
  );
}
