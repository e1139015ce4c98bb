// The API products eniplane answers, each with its one RPC version and the
// host name real responses carry as HostId. Named once: the actions declare
// their product's version from here, and so do the console and the CLI when
// they call an action.
export const PRODUCTS = {
  ecs: { version: '2014-05-26', host: 'ecs.aliyuncs.com' },
  vpc: { version: '2016-04-28', host: 'vpc.aliyuncs.com' },
  resourceManager: { version: '2020-03-31', host: 'resourcemanager.aliyuncs.com' },
} as const;

export type Product = keyof typeof PRODUCTS;

/** The HostId of a version's answers (ECS's for an unknown one). */
export function hostOf(version: string): string {
  for (const p of Object.values(PRODUCTS)) if (p.version === version) return p.host;
  return PRODUCTS.ecs.host;
}
