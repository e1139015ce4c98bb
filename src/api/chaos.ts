// The pipeline's rate-limit and fault stages (api/pipeline.ts), and the one
// structured log line and metrics of each request. Kept here so the pipeline
// reads as its stages; what they enforce lives in service/throttle.ts and
// service/faults.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { FaultBook, FaultRule } from '../service/faults.ts';
import { markWrongEnd } from '../service/faults.ts';
import type { Throttle } from '../service/throttle.ts';
import type { ServiceDeps } from '../service/deps.ts';
import type { Metrics } from './metrics.ts';
import { WireError } from './wire-error.ts';
import { WIRE_CATALOGUE } from './errors.ts';

export interface Chaos {
  faults?: FaultBook;
  throttle?: Throttle;
  metrics?: Metrics;
}

/** A throttled request's answer; the Tea SDKs read x-acs-retry-after (ms) as their back-off. */
export class ThrottledError extends WireError {
  constructor(
    code: 'Throttling' | 'Throttling.User' | 'Throttling.Api',
    readonly retryAfterMs: number,
  ) {
    const t = WIRE_CATALOGUE[code === 'Throttling' ? 'throttling' : code === 'Throttling.User' ? 'throttlingUser' : 'throttlingApi'];
    super(t.status, t.code, t.message());
  }
}

/** An injected fault's error answer: its Code, status and Message are the rule's, deliberately outside the catalogue. */
class InjectedError extends WireError {}

/** rate-limit stage: throws ThrottledError when the caller's quota for the action is spent. */
export async function rateLimit(chaos: Chaos, accountId: string, regionId: string, action: string): Promise<void> {
  const verdict = await chaos.throttle!.check(accountId, regionId, action);
  if (!verdict) return;
  chaos.metrics?.throttled.inc({ action, code: verdict.code });
  throw new ThrottledError(verdict.code, verdict.retryAfterMs);
}

/** What the fault stage decided for one request: things done before the action, and after it. */
export interface FaultPlan {
  rule: FaultRule;
  /** deps for the action (a transition fault changes its duration) */
  deps: ServiceDeps;
  /** run after a successful action; true when the answer must not be sent */
  after(req: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Cuts the connection without an answer (the client sees a reset or an early close). */
function dropConnection(req: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  req.raw.socket.destroy();
}

/**
 * fault stage: picks the first matching rule and applies what comes before the
 * action (an error answer, latency, a dropped connection). Returns the plan for
 * the rest, or undefined when no rule fired; "dropped" when the connection is gone.
 */
export async function injectFault(
  chaos: Chaos,
  log: Logger,
  req: FastifyRequest,
  reply: FastifyReply,
  deps: ServiceDeps,
  probe: { requestId: string; action: string; regionId: string; accountId: string; params: Map<string, string> },
): Promise<FaultPlan | 'dropped' | undefined> {
  const rule = chaos.faults!.pick({
    target: 'api',
    action: probe.action,
    regionId: probe.regionId,
    accountId: probe.accountId,
    values: probe.params.values(),
  });
  if (!rule) return undefined;
  const effect = rule.effect;
  log.warn({ requestId: probe.requestId, rule: rule.id, effect, action: probe.action, accountId: probe.accountId }, 'fault injected');
  chaos.metrics?.faults.inc({ rule: rule.id, effect: effect.kind, target: 'api' });
  const plan: FaultPlan = { rule, deps, after: async () => false };
  switch (effect.kind) {
    case 'error':
      throw new InjectedError(
        effect.status,
        effect.code,
        effect.message ?? `The request processing has failed due to an injected fault (${rule.id}).`,
      );
    case 'latency':
      await sleep(effect.ms);
      return plan;
    case 'drop':
      dropConnection(req, reply);
      return 'dropped';
    case 'lose-answer':
      // Done and committed; only the answer is lost.
      plan.after = async (rq, rp) => {
        dropConnection(rq, rp);
        return true;
      };
      return plan;
    case 'transition': {
      plan.deps = { ...deps, limits: { ...deps.limits, transitionMs: Math.max(1, effect.ms) } };
      const eniId = probe.params.get('NetworkInterfaceId');
      if (effect.end && eniId) {
        const end = effect.end;
        plan.after = async () => {
          await markWrongEnd(deps, eniId, end);
          return false;
        };
      }
      return plan;
    }
  }
}

/** The one structured line per request, and its metrics. */
export function recordRequest(
  chaos: Chaos,
  log: Logger,
  r: { requestId: string; accountId?: string; action?: string; code: string; status: number; startMs: number },
): void {
  const ms = performance.now() - r.startMs;
  const action = r.action ?? '-';
  chaos.metrics?.request(action, r.code, ms / 1000);
  if (log.isLevelEnabled('info'))
    log.info(
      { requestId: r.requestId, account: r.accountId, action, code: r.code, status: r.status, ms: Math.round(ms * 100) / 100 },
      'request',
    );
}
