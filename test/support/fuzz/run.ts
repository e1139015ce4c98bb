// A fuzz run against a real server: a small world made through the API, then
// `runs` generated requests over every served action, each answer judged by
// answerProblem. Seeded (fast-check): the same seed replays the same requests.
import fc from 'fast-check';
import { ACTIONS } from '../../../src/api/registry.ts';
import { describeRequest, requestArb, type FuzzRequest, type FuzzWorld } from './requests.ts';
import { answerProblem, send } from './send.ts';

type Key = { id: string; secret: string };

async function call(
  port: number,
  key: Key,
  action: string,
  params: Record<string, string>,
  version = '2014-05-26',
): Promise<Record<string, any>> {
  const a = await send(port, key, { action, version, method: 'POST', params: Object.entries({ RegionId: 'cn-hangzhou', ...params }) });
  const body = JSON.parse(a.body);
  if (a.status !== 200) throw new Error(`${action}: ${body.Code} ${body.Message}`);
  return body;
}

/** A VPC with a vSwitch (IPv6 too), a security group, two instances and three ENIs, one with secondaries. */
export async function buildWorld(port: number, key: Key): Promise<FuzzWorld> {
  const vpc = (await call(port, key, 'CreateVpc', { CidrBlock: '10.20.0.0/16', EnableIpv6: 'true' }, '2016-04-28')).VpcId as string;
  const vsw = (
    await call(
      port,
      key,
      'CreateVSwitch',
      { VpcId: vpc, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.20.1.0/24', Ipv6CidrBlock: '1' },
      '2016-04-28',
    )
  ).VSwitchId as string;
  const sg = (await call(port, key, 'CreateSecurityGroup', { VpcId: vpc })).SecurityGroupId as string;
  const instances: string[] = [];
  for (let i = 0; i < 2; i++) {
    instances.push(
      (
        await call(port, key, 'RunInstances', {
          VSwitchId: vsw,
          SecurityGroupId: sg,
          InstanceType: 'ecs.g7.large',
          ImageId: 'ubuntu_22_04_x64_20G_alibase_20240101.vhd',
          Amount: '1',
        })
      ).InstanceIdSets.InstanceIdSet[0],
    );
  }
  const enis: string[] = [];
  for (let i = 0; i < 3; i++)
    enis.push((await call(port, key, 'CreateNetworkInterface', { VSwitchId: vsw, SecurityGroupId: sg })).NetworkInterfaceId as string);
  const assigned = await call(port, key, 'AssignPrivateIpAddresses', { NetworkInterfaceId: enis[0], SecondaryPrivateIpAddressCount: '3' });
  const rgs = await call(port, key, 'ListResourceGroups', {}, '2020-03-31').catch(() => ({ ResourceGroups: { ResourceGroup: [] } }));
  return {
    regionId: 'cn-hangzhou',
    ids: [
      vpc,
      vsw,
      sg,
      ...instances,
      ...enis,
      ...rgs.ResourceGroups.ResourceGroup.map((g: { Id: string }) => g.Id),
      'eni-doesnotexist0000',
      'i-doesnotexist00000',
    ],
    addresses: [...assigned.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress, '10.20.1.50', '10.20.1.253', '10.20.9.9'],
    cidrs: ['10.20.2.0/24', '10.20.1.0/24', '10.30.0.0/16', '192.168.0.0/16'],
  };
}

export interface FuzzStats {
  requests: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
}

/** Sends `runs` generated requests; throws (after shrinking) on the first answer out of shape. */
export async function fuzz(opts: { port: number; key: Key; world: FuzzWorld; seed: number; runs: number }): Promise<FuzzStats> {
  const stats: FuzzStats = { requests: 0, byStatus: {}, byCode: {} };
  const arb = fc.constantFrom(...ACTIONS).chain((a) => requestArb(a, opts.world));
  await fc.assert(
    fc.asyncProperty(arb, async (req: FuzzRequest) => {
      const a = await send(opts.port, opts.key, req);
      stats.requests++;
      stats.byStatus[a.status] = (stats.byStatus[a.status] ?? 0) + 1;
      const code =
        a.status === 200
          ? 'OK'
          : (() => {
              try {
                return String(JSON.parse(a.body).Code);
              } catch {
                return '(not JSON)';
              }
            })();
      stats.byCode[code] = (stats.byCode[code] ?? 0) + 1;
      const problem = answerProblem(a);
      if (problem) throw new Error(`${problem}: ${describeRequest(req)} → ${a.body.slice(0, 300)}`);
    }),
    { seed: opts.seed, numRuns: opts.runs, endOnFailure: true },
  );
  return stats;
}
