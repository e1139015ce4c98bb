// The unmodified official SDKs behind one small interface, so a story is
// written once and walked by every flavour: ecs20140526 (ACS3 default and
// signatureAlgorithm 'v2'), vpc20160428, pop-core RPCClient (GET and POST).
// Requests are built through the SDKs' own models and responses come back
// through the SDKs' own parsing (model.toMap() gives the wire names again).
import EcsModule from '@alicloud/ecs20140526';
import VpcModule from '@alicloud/vpc20160428';
import PopCore from '@alicloud/pop-core';
import { $OpenApiUtil } from '@alicloud/openapi-core';

export type Flavour = 'ecs-acs3' | 'ecs-v2' | 'popcore-get' | 'popcore-post';
export type WireParams = Record<string, unknown>;
export interface SdkError {
  code: string;
  statusCode?: number;
  message: string;
}
export interface SdkClient {
  flavour: Flavour;
  call(action: string, params?: WireParams): Promise<Record<string, any>>;
  /** resolves to the SDK's error (code, statusCode), or rejects if the call succeeded */
  fail(action: string, params?: WireParams): Promise<SdkError>;
}

const Ecs = EcsModule as any;
const Vpc = VpcModule as any;
const VPC_ACTIONS = new Set(['CreateVpc', 'DescribeVpcs', 'DeleteVpc', 'CreateVSwitch', 'DescribeVSwitches', 'DeleteVSwitch']);

/** Builds an SDK request model from wire-named params, recursing into nested models. */
function fromWire(Model: any, wire: WireParams): any {
  const names: Record<string, string> = Model.names();
  const types: Record<string, any> = Model.types();
  const init: Record<string, unknown> = {};
  for (const [camel, wireName] of Object.entries(names)) {
    const v = wire[wireName];
    if (v === undefined) continue;
    const t = types[camel];
    if (t && typeof t === 'object' && t.type === 'array' && typeof t.itemType === 'function') {
      init[camel] = (v as WireParams[]).map((x) => fromWire(t.itemType, x));
    } else if (typeof t === 'function') {
      init[camel] = fromWire(t, v as WireParams);
    } else init[camel] = v;
  }
  for (const k of Object.keys(wire)) if (!Object.values(names).includes(k)) throw new Error(`${Model.name} has no field ${k}`);
  return new Model(init);
}

const lowerFirst = (s: string) => s[0].toLowerCase() + s.slice(1);

function teaClient(flavour: 'ecs-acs3' | 'ecs-v2', endpoint: string, key: { id: string; secret: string }): SdkClient {
  const config = () =>
    new $OpenApiUtil.Config({
      accessKeyId: key.id,
      accessKeySecret: key.secret,
      endpoint,
      protocol: 'http',
      regionId: 'cn-hangzhou',
      ...(flavour === 'ecs-v2' ? { signatureAlgorithm: 'v2' } : {}),
    });
  const ecs = new Ecs.default(config());
  const vpc = new Vpc.default(config());
  const call = async (action: string, params: WireParams = {}) => {
    const mod = VPC_ACTIONS.has(action) ? Vpc : Ecs;
    const client = VPC_ACTIONS.has(action) ? vpc : ecs;
    const req = fromWire(mod[`${action}Request`], params);
    const res = await client[lowerFirst(action)](req);
    return res.body.toMap();
  };
  return {
    flavour,
    call,
    async fail(action, params) {
      try {
        await call(action, params);
      } catch (e: any) {
        return { code: e.code, statusCode: e.statusCode, message: e.message };
      }
      throw new Error(`${action} succeeded, expected an error`);
    },
  };
}

function popClient(flavour: 'popcore-get' | 'popcore-post', endpoint: string, key: { id: string; secret: string }): SdkClient {
  const make = (apiVersion: string) =>
    new (PopCore as any).RPCClient({ accessKeyId: key.id, accessKeySecret: key.secret, endpoint: `http://${endpoint}`, apiVersion });
  const ecs = make('2014-05-26');
  const vpc = make('2016-04-28');
  const opts = flavour === 'popcore-post' ? { method: 'POST', timeout: 10000 } : { timeout: 10000 };
  const call = async (action: string, params: WireParams = {}) => {
    const client = VPC_ACTIONS.has(action) ? vpc : ecs;
    // pop-core flattens arrays itself (Name.1, Name.2, Tag.1.Key ...).
    return client.request(action, { RegionId: 'cn-hangzhou', ...params }, opts);
  };
  return {
    flavour,
    call,
    async fail(action, params) {
      try {
        await call(action, params);
      } catch (e: any) {
        return { code: e.code, message: e.message };
      }
      throw new Error(`${action} succeeded, expected an error`);
    },
  };
}

export function sdkClient(flavour: Flavour, endpoint: string, key: { id: string; secret: string }): SdkClient {
  return flavour === 'ecs-acs3' || flavour === 'ecs-v2' ? teaClient(flavour, endpoint, key) : popClient(flavour, endpoint, key);
}

export const FLAVOURS: Flavour[] = ['ecs-acs3', 'ecs-v2', 'popcore-get', 'popcore-post'];
