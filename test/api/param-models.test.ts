// The SDK request models (src/api/models/, generated) against the SDKs in node_modules and
// against every served action: a parameter an official client sends is never refused for its
// name, a value of the wrong type is, and what an action declares honoured it really reads.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTS, render } from '../../scripts/gen-param-models.mjs';
import { COVERAGE_PATH, renderCoverage } from '../../scripts/gen-api-coverage.ts';
import { ACTIONS } from '../../src/api/registry.ts';
import { modelOf } from '../../src/api/models/index.ts';
import { mistypedParam, ParamReader, resolveParam, specFromModel, unknownParams } from '../../src/api/params.ts';
import { seedNetwork, startHarness, type Harness } from '../support/in-process.ts';
import { capturedRequests } from './signing/captured.ts';

// Strings of two characters: the shortest name or description the real API takes (api/string-limits.ts).
const SAMPLE: Record<string, string> = { s: 'ss', i: '7', f: '0.5', b: 'true', j: '{}' };

/** Every parameter of a model in its wire shape, with a value of its type (index 1, map key K). */
function fullRequest(model: string, only?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of model.split(' ')) {
    const [pattern, type] = [entry.slice(0, entry.lastIndexOf(':')), entry.slice(entry.lastIndexOf(':') + 1)];
    if (only !== undefined && pattern.split('.')[0] !== only) continue;
    out[
      pattern
        .split('.')
        .map((s, i) => (i > 0 && s === 'N' ? '1' : i > 0 && s === '*' ? 'K' : s))
        .join('.')
    ] = SAMPLE[type];
  }
  return out;
}

const served = ACTIONS.filter((a) => modelOf(a.version, a.action) !== undefined);

describe('generated models', () => {
  it('are current: regenerated from the SDKs in node_modules they equal the committed files', async () => {
    for (const p of PRODUCTS) {
      const committed = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'api', 'models', p.file), 'utf8');
      assert.ok(committed === (await render(p)), `${p.file} is stale: run node scripts/gen-param-models.mjs`);
    }
  });

  it('every ECS and VPC action served has its model as its spec (none hand-written)', () => {
    assert.ok(served.length >= 25);
    for (const a of ACTIONS) {
      if (a.version === '2020-03-31') continue;
      assert.ok(modelOf(a.version, a.action) !== undefined, `${a.action} has no SDK model`);
      assert.deepEqual(unknownParams(new Map(Object.entries(fullRequest(modelOf(a.version, a.action)!))), a.params), [], a.action);
    }
  });

  it('accept, by name and type, every parameter of the requests captured from real SDKs (test/fixtures/sdk)', () => {
    let checked = 0;
    for (const c of capturedRequests()) {
      const params = new Map([...c.input.query, ...c.input.form]);
      const action = params.get('Action') ?? String(c.input.headers['x-acs-action']);
      const version = params.get('Version') ?? String(c.input.headers['x-acs-version']);
      const model = action && version ? modelOf(version, action) : undefined;
      if (!model) continue; // STS AssumeRole and the like: no ECS/VPC model
      const spec = specFromModel(model);
      assert.deepEqual(unknownParams(params, spec), [], c.name);
      assert.equal(mistypedParam(params, spec), undefined, c.name);
      checked++;
    }
    assert.ok(checked >= 60, `only ${checked} captured requests checked`);
  });

  it('read nested shapes by name and type', () => {
    const spec = specFromModel(modelOf('2014-05-26', 'RunInstances')!, ['InstanceType']);
    assert.equal(resolveParam('SystemDisk.Category', spec), 'string');
    assert.equal(resolveParam('DataDisk.3.Size', spec), 'int');
    assert.equal(resolveParam('NetworkInterface.2.SecurityGroupIds.4', spec), 'string');
    assert.equal(resolveParam('SpotPriceLimit', spec), 'float');
    assert.equal(resolveParam('AutoRenew', spec), 'bool');
    assert.equal(resolveParam('Tag.1.Key', spec), 'string');
    for (const bad of [
      'SystemDisk.1.Category',
      'SystemDisk',
      'DataDisk.1',
      'DataDisk.Size',
      'DataDisk.1.Colour',
      'Tag.1',
      'NetworkInterface.1.SecurityGroupIds',
      'AutoRenew.1',
      'Nope',
    ]) {
      assert.equal(resolveParam(bad, spec), undefined, bad);
    }
    assert.equal(spec.InstanceType.required, true);
    assert.equal(
      mistypedParam(
        new Map([
          ['Amount', '2'],
          ['AutoRenew', 'False'],
          ['SpotPriceLimit', '0'],
          ['DataDisk.1.Size', '40'],
        ]),
        spec,
      ),
      undefined,
    );
    assert.equal(mistypedParam(new Map([['Amount', 'two']]), spec), 'Amount');
    assert.equal(mistypedParam(new Map([['AutoRenew', 'yes']]), spec), 'AutoRenew');
    assert.equal(mistypedParam(new Map([['DataDisk.2.Size', '4x']]), spec), 'DataDisk.2.Size');
    assert.equal(mistypedParam(new Map([['SpotPriceLimit', '0.5.1']]), spec), 'SpotPriceLimit');
  });
});

describe('served actions over the wire', () => {
  let h: Harness;
  let net: Awaited<ReturnType<typeof seedNetwork>>;
  before(async () => {
    h = await startHarness();
    net = await seedNetwork(h);
  });
  after(() => h.close());

  it('a request with every model parameter in its real shape is never refused for a name or a type', async () => {
    for (const a of served) {
      const r = await h.call(a.action, fullRequest(modelOf(a.version, a.action)!), { version: a.version });
      const msg = String(r.body.Message ?? '');
      assert.ok(!msg.includes('It is not a parameter of'), `${a.action}: ${msg}`);
      assert.ok(r.status < 500, `${a.action}: ${JSON.stringify(r.body)}`);
    }
  });

  it('RunInstances as some Go clients send it: AutoRenew=false, SpotPriceLimit=0, SystemDisk.Category, DataDisk.N.*', async () => {
    const r = await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      ImageId: 'ubuntu_22_04_x64_20G_alibase_20240101.vhd',
      AutoRenew: false,
      SpotPriceLimit: 0,
      'SystemDisk.Category': 'cloud_essd',
      'SystemDisk.Size': 40,
      'DataDisk.1.Size': 40,
      'DataDisk.1.Category': 'cloud_essd',
      'DataDisk.1.DeleteWithInstance': true,
      InternetMaxBandwidthOut: 0,
      SpotStrategy: 'NoSpot',
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.InstanceIdSets.InstanceIdSet.length, 1);
  });

  it('a value not of its type is InvalidParameter naming it; the wrong shape is an unknown name', async () => {
    const bad = await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      'DataDisk.1.Size': 'forty',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.Code, 'InvalidParameter');
    assert.equal(bad.body.Message, 'The specified parameter "DataDisk.1.Size" is not valid.');
    const flag = await h.call('CreateNetworkInterface', {
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      DeleteOnRelease: 'yes',
    });
    assert.equal(flag.body.Message, 'The specified parameter "DeleteOnRelease" is not valid.');
    const shape = await h.call('RunInstances', {
      InstanceType: 'ecs.g7.large',
      VSwitchId: net.vSwitchId,
      SecurityGroupId: net.securityGroupId,
      'SystemDisk.1.Category': 'cloud_essd',
    });
    assert.equal(shape.body.Code, 'InvalidParameter');
    assert.match(shape.body.Message, /"SystemDisk\.1\.Category" is not valid\. It is not a parameter of RunInstances/);
  });

  it('an action declares honoured exactly the model parameters its handler reads (or stored/refused)', async () => {
    // An instrumented ParamReader: every name a handler asks for, by its top-level name.
    const read = new Set<string>();
    const proto = ParamReader.prototype as unknown as Record<string, (this: ParamReader, name: string, ...rest: unknown[]) => unknown>;
    const originals = new Map<string, (typeof proto)[string]>();
    for (const m of ['has', 'str', 'reqStr', 'int', 'bool', 'list', 'objectList', 'jsonList']) {
      const orig = proto[m];
      originals.set(m, orig);
      proto[m] = function (this: ParamReader, name: string, ...rest: unknown[]) {
        read.add(name.split('.')[0]);
        return orig.call(this, name, ...rest);
      };
    }
    // Real ids (a fresh ENI and instance after each Delete*, which consume theirs), so that handlers
    // reading a parameter only after finding the resource (Attribute) get that far.
    let cached: Record<string, string> | undefined;
    const realIds = async (): Promise<Record<string, string>> => {
      if (cached) return cached;
      const eni = await h.call('CreateNetworkInterface', { VSwitchId: net.vSwitchId, SecurityGroupId: net.securityGroupId });
      const ins = await h.call('RunInstances', {
        InstanceType: 'ecs.g7.large',
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
      });
      return (cached = {
        VpcId: net.vpcId,
        VSwitchId: net.vSwitchId,
        SecurityGroupId: net.securityGroupId,
        ZoneId: 'cn-hangzhou-h',
        RegionId: 'cn-hangzhou',
        NetworkInterfaceId: eni.body.NetworkInterfaceId,
        InstanceId: ins.body.InstanceIdSets.InstanceIdSet[0],
      });
    };
    const problems: string[] = [];
    try {
      for (const a of served) {
        const model = modelOf(a.version, a.action)!;
        const required = Object.entries(a.params)
          .filter(([, f]) => f.required)
          .map(([n]) => n);
        const everRead = new Set<string>();
        // One run per honoured name, and one per other model name: what each reads is recorded.
        const names = [...new Set([...(a.use?.honoured ?? []), ...Object.keys(a.params)])];
        for (const name of names) {
          const real = await realIds();
          const request: Record<string, string> = {};
          for (const n of [...required, name]) Object.assign(request, fullRequest(model, n));
          for (const k of Object.keys(request)) if (real[k]) request[k] = real[k];
          // A handler may stop early for a parameter it needs that the model does not mark required (RunInstances' SecurityGroupId).
          for (let tries = 0; tries < 4; tries++) {
            read.clear();
            const r = await h.call(a.action, request, { version: a.version });
            const missing = r.body.Code === 'MissingParameter' ? /"([A-Za-z0-9]+)"/.exec(String(r.body.Message))?.[1] : undefined;
            if (!missing || missing in request) break;
            Object.assign(request, fullRequest(model, missing), real[missing] ? { [missing]: real[missing] } : {});
          }
          if (a.action.startsWith('Delete')) cached = undefined;
          for (const n of read) everRead.add(n);
          if (a.use?.honoured?.includes(name) && !read.has(name))
            problems.push(`${a.action} declares ${name} honoured but its handler never reads it`);
        }
        const declared = new Set([...(a.use?.honoured ?? []), ...(a.use?.stored ?? []), ...(a.use?.refused ?? [])]);
        for (const n of everRead) {
          if (Object.hasOwn(a.params, n) && !declared.has(n))
            problems.push(`${a.action} reads ${n} but does not declare it honoured, stored or refused`);
        }
      }
    } finally {
      for (const [m, f] of originals) proto[m] = f;
    }
    assert.deepEqual(problems, []);
  });
});

it('docs/api-coverage.md is current', () => {
  assert.ok(readFileSync(COVERAGE_PATH, 'utf8') === renderCoverage(), 'stale: run node --import tsx scripts/gen-api-coverage.ts');
});
