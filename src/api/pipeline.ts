// The whole RPC request pipeline in one place, one stage per comment:
// request id → parse → authenticate → dispatch → rate-limit → faults → validate → handle → serialize → map errors.
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
import { rpcErrorBody } from './http-errors.ts';
import { checkStringLimits } from './string-limits.ts';
import { auditResources, isMutating, recordAudit } from '../service/audit.ts';
import type { ActionDef } from './action.ts';
import { hostOf } from './products.ts';
import { stringifyAnswer } from './fast-json.ts';
import { injectFault, rateLimit, recordRequest, ThrottledError, type Chaos, type FaultPlan } from './chaos.ts';

export interface PipelineOptions {
  /** accept undeclared parameters (debugging aid; off by default, like the real API) */
  loose: boolean;
  checkNonce: boolean;
  /** resolves a console session to a caller, when the request carries one (never for a signed request) */
  sessionCaller?: (req: FastifyRequest) => Promise<Caller | undefined>;
  /** request quotas, fault rules and metrics (each optional; see api/chaos.ts) */
  chaos?: Chaos;
}

export function registerRpcRoutes(app: FastifyInstance, deps: ServiceDeps, log: Logger, opts: PipelineOptions): void {
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    // request id
    const requestId = newRequestId();
    const startMs = performance.now();
    const chaos = opts.chaos ?? {};
    let caller: Caller | undefined;
    let action: ActionDef | undefined;
    let hostId = 'ecs.aliyuncs.com';
    // audit: who asked (once authenticated), what was named, what came of it (recorded for mutating actions)
    let audit:
      { accountId: string; accessKeyId: string; params: Map<string, string>; body?: Record<string, unknown>; result: string } | undefined;
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
        method: req.method,
        path: qIndex >= 0 ? url.slice(0, qIndex) : url,
        query,
        form,
        headers: req.headers as Record<string, string | string[] | undefined>,
        rawBody,
      };

      // authenticate: a signed request, or a console session (same actions, same rules)
      // A request that carries a signature (either scheme) is the SDK's, whatever cookies ride along.
      const signed = Boolean(header(req, 'authorization')) || params.has('Signature');
      const session = opts.sessionCaller && !signed ? await opts.sessionCaller(req) : undefined;
      if (session) {
        caller = session;
        audit = { accountId: caller.accountId, accessKeyId: 'console-session', params, result: 'Success' };
      } else {
        const auth = await authenticate(deps, input);
        audit = { accountId: auth.caller.accountId, accessKeyId: auth.nonce.accessKeyId, params, result: 'Success' };
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

      // rate-limit: the account's quota for this action in this region (--throttle; off by default)
      if (chaos.throttle) await rateLimit(chaos, caller.accountId, params.get('RegionId') ?? deps.defaultRegionId, action.action);

      // faults: the first matching injected-fault rule, if any (an error, latency, a cut connection, a slow transition)
      let fault: FaultPlan | undefined;
      let actionDeps = deps;
      if (chaos.faults?.active) {
        const f = await injectFault(chaos, log, req, reply, deps, {
          requestId,
          action: action.action,
          regionId: params.get('RegionId') ?? deps.defaultRegionId,
          accountId: caller.accountId,
          params,
        });
        if (f === 'dropped') return reply;
        if (f) actionDeps = (fault = f).deps;
      }

      // validate: parameter names (strict mode) and value types, then required ones
      const bad = checkParams(params, action.params, !opts.loose);
      if (bad) throw wireErrors.invalidParameter(bad.name, bad.unknown ? `It is not a parameter of ${action.action}.` : undefined);
      // lengths: each parameter's real bounds and code (string-limits.ts), every other value capped
      checkStringLimits(action.action, params);
      for (const name of requiredParams(action)) {
        if (!params.get(name)) {
          throw wireErrors.missingParameter(name);
        }
      }

      // handle
      let body: Record<string, unknown>;
      try {
        body = await action.handle({ deps: actionDeps, caller, requestId }, new ParamReader(params, action.params));
      } finally {
        // Reads (and refused writes, rolled back) record the nonce on their own, so no signed request runs twice.
        const nonce = caller.nonce;
        if (nonce && !nonce.recorded) await writeTx(deps, (tx) => recordNonce(tx, nonce));
      }

      // serialize (unless a fault loses the answer)
      if (audit) audit.body = body;
      if (fault && (await fault.after(req, reply))) return reply;
      recordRequest(chaos, log, { requestId, accountId: caller.accountId, action: action.action, code: 'Success', status: 200, startMs });
      reply.header('content-type', 'application/json;charset=utf-8').header('x-content-type-options', 'nosniff');
      // Text, not an object for Fastify to stringify: an answer may hold JSON already written (RawJson).
      return stringifyAnswer({ RequestId: requestId, ...body });
    } catch (e) {
      // map errors: domain → Alibaba code; api errors as they are; anything else is InternalError, detail in the log only
      let wire: WireError;
      if (e instanceof WireError) wire = e;
      else if (isDomainError(e)) wire = toWireError(e, action?.errors);
      else {
        log.error({ err: e, requestId, action: action?.action }, 'internal error');
        wire = wireErrors.internalError();
      }
      recordRequest(chaos, log, {
        requestId,
        accountId: caller?.accountId,
        action: action?.action,
        code: wire.code,
        status: wire.status,
        startMs,
      });
      if (audit) audit.result = wire.code;
      if (wire instanceof ThrottledError) reply.header('x-acs-retry-after', String(wire.retryAfterMs));
      reply.code(wire.status).header('content-type', 'application/json;charset=utf-8').header('x-content-type-options', 'nosniff');
      return rpcErrorBody(requestId, hostId, wire);
    } finally {
      if (audit && action && isMutating(action.action)) {
        recordAudit(deps, {
          atMs: deps.clock.nowMs(),
          accountId: audit.accountId,
          accessKeyId: audit.accessKeyId,
          sourceIp: req.ip,
          action: action.action,
          resources: auditResources(audit.params, audit.body),
          requestId,
          result: audit.result,
        });
      }
    }
  };
  app.route({ method: ['GET', 'POST'], url: '/', handler });
}

/** An action's required parameter names, in declaration order (read once per action, not per request). */
const requiredNames = new WeakMap<ActionDef, string[]>();
function requiredParams(action: ActionDef): string[] {
  let names = requiredNames.get(action);
  if (!names) {
    names = Object.entries(action.params)
      .filter(([, spec]) => spec.required)
      .map(([name]) => name);
    requiredNames.set(action, names);
  }
  return names;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
