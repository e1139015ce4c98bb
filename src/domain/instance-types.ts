// The instance-type catalogue: ENI count and per-ENI address figures from the
// "Instance family overview" (see docs). EniQuantity counts the primary ENI;
// EniPrivateIpAddressQuantity counts the ENI's primary address.
import catalog from './instance-types.json' with { type: 'json' };

export interface InstanceTypeSpec {
  id: string;
  family: string;
  cpuCoreCount: number;
  memorySizeGiB: number;
  eniQuantity: number;
  eniPrivateIpAddressQuantity: number;
  eniIpv6AddressQuantity: number;
  eniTotalQuantity: number;
}

interface CatalogRow {
  InstanceTypeId: string;
  InstanceTypeFamily: string;
  CpuCoreCount: number;
  EniQuantity: number;
  EniPrivateIpAddressQuantity: number;
  EniIpv6AddressQuantity: number;
  EniTotalQuantity?: number;
}

// Memory per vCPU by family letter: g = 4 GiB, c = 2 GiB (the catalogue has no memory column).
function memoryFor(row: CatalogRow): number {
  const letter = row.InstanceTypeFamily.replace(/^ecs\./, '')[0];
  return row.CpuCoreCount * (letter === 'c' ? 2 : 4);
}

export const INSTANCE_TYPES: ReadonlyMap<string, InstanceTypeSpec> = new Map(
  (catalog as CatalogRow[]).map((r) => [
    r.InstanceTypeId,
    {
      id: r.InstanceTypeId,
      family: r.InstanceTypeFamily,
      cpuCoreCount: r.CpuCoreCount,
      memorySizeGiB: memoryFor(r),
      eniQuantity: r.EniQuantity,
      eniPrivateIpAddressQuantity: r.EniPrivateIpAddressQuantity,
      eniIpv6AddressQuantity: r.EniIpv6AddressQuantity,
      eniTotalQuantity: r.EniTotalQuantity ?? r.EniQuantity,
    },
  ]),
);

export function findInstanceType(id: string): InstanceTypeSpec | undefined {
  return INSTANCE_TYPES.get(id);
}
