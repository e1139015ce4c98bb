// The RPC response shapes the console reads, as the ECS 2014-05-26 / VPC
// 2016-04-28 actions return them, and the console's own JSON endpoints.

import type { eniShape, instanceShape, instanceTypeShape, securityGroupShape, vSwitchShape, vpcShape } from '../../api/shapes.ts';

// The resource shapes are the server's own (api/shapes.ts), derived rather than
// copied, so a field the API gains or renames reaches the console's types.
export type { EniStatus } from '../../domain/model.ts';
export type EniWire = ReturnType<typeof eniShape>;
export type InstanceWire = ReturnType<typeof instanceShape>;
export type InstanceTypeWire = ReturnType<typeof instanceTypeShape>;
export type VpcWire = ReturnType<typeof vpcShape>;
export type VSwitchWire = ReturnType<typeof vSwitchShape>;
export type SecurityGroupWire = ReturnType<typeof securityGroupShape>;

export interface EniPage {
  NetworkInterfaceSets: { NetworkInterfaceSet: EniWire[] };
  NextToken: string;
  TotalCount: number;
}

/** The console's own JSON endpoints. */
export interface SessionInfo {
  accountId: string;
  accountName: string;
  accessKeyId: string;
  csrfToken: string;
  expiresAt: string;
  limits: { availableEniMaxIpv4: number; availableEniMaxIpv6: number; maxAddressesPerRequest: number; securityGroupsPerEni: number };
}

export interface RegionInfo {
  regionId: string;
  localName: string;
  zones: { zoneId: string; localName: string }[];
}

export interface ResourceGroupInfo {
  resourceGroupId: string;
  name: string;
  displayName: string;
  isDefault: boolean;
}

export interface OsEntryInfo {
  id: string;
  name: string;
  family: string;
  target: string;
}

export interface OsConfigAnswer {
  eniId: string;
  assumptions: string[];
  facts: {
    interfaceName: string;
    macAddress: string;
    deviceIndex: number;
    ipv4: { primary: string; secondaries: string[]; gateway: string; cidrBlock: string; prefixLength: number };
  };
  rendering: {
    osId: string;
    target: string;
    shell: 'sh' | 'powershell';
    files: { path: string; content: string; mode?: number; description: string }[];
    commands: { run: string; why: string; stage: 'prepare' | 'apply' }[];
    warnings: string[];
    verify: string[];
  };
}
