// The whole RPC request pipeline in one place, one stage per comment:
// request id → parse → authenticate → dispatch → validate → handle → serialize → map errors.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { isDomainError } from '../domain/errors.ts';
import { newRequestId } from './request-id.ts';
import { recordNonce, writeTx, type Caller, type ServiceDeps } from '../service/deps.ts';
import { authenticate } from './auth.ts';
import { toWireError, wireErrors } from './errors.ts';
import { checkParams, ParamReader } from './params.ts';
import { findAction, knownVersion } from './registry.ts';
import type { SignedRequestInput } from './signing/index.ts';
import { WireError } from './wire-error.ts';
import { queryPairs } from './query-pairs.ts';
import type { ActionDef } from './action.ts';
import { hostOf } from './products.ts';

export interface PipelineOptions {
  /** accept undeclared parameters (debugging aid; off by default, like the real API) */
  loose: boolean;
  checkNonce: boolean;
  /** resolves a console session to a caller, when the request carries one (never for a signed request) */
  sessionCaller?: (req: FastifyRequest) => Promise<Caller | undefined>;
}

function errorBody(requestId: string, host: string, e: WireError) {
  return {
    RequestId: requestId, HostId: host, Code: e.code, Message: e.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(e.code)}&product=Ecs&requestId=${requestId}`,
  };
}

export function registerRpcRoutes(app: FastifyInstance, deps: ServiceDeps, log: Logger, opts: PipelineOptions): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    // request id
    const requestId = newRequestId();
    let action: ActionDef | undefined;
    let hostId = 'ecs.aliyuncs.com';
    try {
      // parse: query ∪ form body, decoded (signatures are checked on decoded values re-encoded)
      const url = req.raw.url ?? '/';
      const qIndex = url.indexOf('?');
      const query = qIndex >= 0 ? queryPairs(url.slice(qIndex + 1)) : [];
      const contentType = String(req.headers['content-type'] ?? '');
      const rawBody = typeof req.body === 'string' ? req.body : '';
      const form = contentType.startsWith('application/x-www-form-urlencoded') ? queryPairs(rawBody) : [];
      const params = new Map<string, string>(query);
      for (const [k, v] of form) params.set(k, v);
      const input: SignedRequestInput = {
        method: req.method, path: qIndex >= 0 ? url.slice(0, qIndex) : url, query, form,
        headers: req.headers as Record<string, string | string[] | undefined>, rawBody,
      };

      // authenticate: a signed request, or a console session (same actions, same rules)
      // A request that carries a signature (either scheme) is the SDK's, whatever cookies ride along.
      const signed = Boolean(header(req, 'authorization')) || params.has('Signature');
      const session = opts.sessionCaller && !signed ? await opts.sessionCaller(req) : undefined;
      let caller: Caller;
      if (session) caller = session;
      else {
        const auth = await authenticate(deps, input);
        // The nonce rides on this request's caller, passed down explicitly: its first write transaction records it.
        caller = opts.checkNonce ? { ...auth.caller, nonce: auth.nonce } : auth.caller;
      }

      // dispatch: Action/Version params (RPC) or x-acs-* headers (ACS3)
      // On RPC-signed requests the x-acs-* headers are not signed, so only the params count there.
      const acs3 = header(req, 'authorization')?.startsWith('ACS3-') === true;
      const actionName = params.get('Action') ?? (acs3 ? header(req, 'x-acs-action') : undefined);
      const version = params.get('Version') ?? (acs3 ? header(req, 'x-acs-version') : undefined);
      if (!actionName) throw wireErrors.missingParameter('Action');
      if (!version) throw wireErrors.missingParameter('Version');
      if (!knownVersion(version)) throw wireErrors.invalidVersion(version);
      action = findAction(version, actionName);
      if (!action) throw wireErrors.actionNotFound();
      hostId = hostOf(action.version);

      // validate: parameter names (strict mode) and value types, then required ones
      const bad = checkParams(params, action.params, !opts.loose);
      if (bad) throw wireErrors.invalidParameter(bad.name, bad.unknown ? `It is not a parameter of ${action.action}.` : undefined);
      for (const name of requiredParams(action)) {
        if (!params.get(name)) {
          throw wireErrors.missingParameter(name);
        }
      }

      // handle
      let body: Record<string, unknown>;
      try {
        body = await action.handle({ deps, caller, requestId }, new ParamReader(params, action.params));
      } finally {
        // Reads (and refused writes, rolled back) record the nonce on their own, so no signed request runs twice.
        const nonce = caller.nonce;
        if (nonce && !nonce.recorded) await writeTx(deps, (tx) => recordNonce(tx, nonce));
      }

      // serialize
      reply.header('content-type', 'application/json;charset=utf-8');
      return { RequestId: requestId, ...body };
    } catch (e) {
      // map errors: domain → Alibaba code; api errors as they are; anything else is InternalError, detail in the log only
      let wire: WireError;
      if (e instanceof WireError) wire = e;
      else if (isDomainError(e)) wire = toWireError(e, action?.errors);
      else {
        log.error({ err: e, requestId, action: action?.action }, 'internal error');
        wire = wireErrors.internalError();
      }
      reply.code(wire.status).header('content-type', 'application/json;charset=utf-8');
      return errorBody(requestId, hostId, wire);
    }
  };
  app.route({ method: ['GET', 'POST'], url: '/', handler });
}

/** An action's required parameter names, in declaration order (read once per action, not per request). */
const requiredNames = new WeakMap<ActionDef, string[]>();
function requiredParams(action: ActionDef): string[] {
  let names = requiredNames.get(action);
  if (!names) {
    names = Object.entries(action.params).filter(([, spec]) => spec.required).map(([name]) => name);
    requiredNames.set(action, names);
  }
  return names;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
