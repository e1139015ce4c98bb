// The generated SDK request models (ecs-2014-05-26.ts, vpc-2016-04-28.ts, written by
// `node scripts/gen-param-models.mjs`), looked up by API version and action.
import * as ecs from './ecs-2014-05-26.ts';
import * as vpc from './vpc-2016-04-28.ts';

export const PRODUCT_MODELS = [
  { product: 'ECS', version: ecs.VERSION, sdk: ecs.SDK, models: ecs.MODELS },
  { product: 'VPC', version: vpc.VERSION, sdk: vpc.SDK, models: vpc.MODELS },
] as const;

/** The model of one action ("Name:type ..."), or undefined for a version without an SDK (ResourceManager) or an unknown action. */
export function modelOf(version: string, action: string): string | undefined {
  const p = PRODUCT_MODELS.find((m) => m.version === version);
  return p && Object.hasOwn(p.models, action) ? p.models[action] : undefined;
}
