// The instance attributes RunInstances and CreateInstance store and the Describe
// calls return (a client that sets them reads them back: Terraform shows a diff otherwise).
import type { ParamReader } from './params.ts';
import type { InstanceAttributeInput } from '../service/instances.ts';
import { wireErrors } from './errors.ts';

/** The top-level model parameters behind InstanceAttributeInput: stored and returned by both actions. */
export const INSTANCE_ATTRIBUTE_NAMES = [
  'Description',
  'HostName',
  'UserData',
  'KeyPairName',
  'RamRoleName',
  'DeletionProtection',
  'CreditSpecification',
  'InstanceChargeType',
  'InternetChargeType',
  'InternetMaxBandwidthOut',
  'InternetMaxBandwidthIn',
  'SpotStrategy',
  'SpotPriceLimit',
  'Period',
  'PeriodUnit',
  'AutoRenew',
  'AutoRenewPeriod',
  'SystemDisk',
];

/** The top-level parameters RunInstances and CreateInstance both honour. */
export const INSTANCE_BASIC_NAMES = [
  'RegionId',
  'InstanceType',
  'VSwitchId',
  'ZoneId',
  'SecurityGroupId',
  'PrivateIpAddress',
  'InstanceName',
  'ImageId',
  'ResourceGroupId',
  'ClientToken',
];

/** What RunInstances and CreateInstance read alike (InstanceType is required; nothing else here can fail). */
export function readInstanceBasics(p: ParamReader) {
  return {
    regionId: p.str('RegionId'),
    instanceType: p.reqStr('InstanceType'),
    zoneId: p.str('ZoneId'),
    name: p.str('InstanceName'),
    imageId: p.str('ImageId'),
    resourceGroupId: p.str('ResourceGroupId'),
    clientToken: p.str('ClientToken'),
  };
}

const oneOf = (p: ParamReader, name: string, values: string[]): string | undefined => {
  const v = p.str(name);
  if (v !== undefined && !values.includes(v)) throw wireErrors.invalidParameter(name);
  return v;
};

const DISK_CATEGORIES = ['cloud', 'cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud_auto', 'cloud_essd_entry', 'ephemeral_ssd'];

export function readInstanceAttributes(p: ParamReader): InstanceAttributeInput {
  const hostName = p.str('HostName');
  if (hostName !== undefined && (hostName.length < 2 || hostName.length > 64 || /^[.-]|[.-]$/.test(hostName)))
    throw wireErrors.hostNameMalformed();
  const userData = p.str('UserData');
  // Its size (32 KB before encoding) is checked with every other bound (string-limits.ts); here its Base64 form.
  if (userData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData)) throw wireErrors.invalidParameter('UserData');
  const spotPrice = p.str('SpotPriceLimit');
  if (spotPrice !== undefined && !/^\d+(\.\d+)?$/.test(spotPrice)) throw wireErrors.invalidParameter('SpotPriceLimit');
  const size = p.int('SystemDisk.Size', { min: 20, max: 2048 });
  return {
    description: p.str('Description'),
    hostName,
    userData,
    keyPairName: p.str('KeyPairName'),
    ramRoleName: p.str('RamRoleName'),
    deletionProtection: p.bool('DeletionProtection'),
    creditSpecification: oneOf(p, 'CreditSpecification', ['Standard', 'Unlimited']),
    systemDisk: {
      category: oneOf(p, 'SystemDisk.Category', DISK_CATEGORIES),
      sizeGiB: size,
      name: p.str('SystemDisk.DiskName'),
      description: p.str('SystemDisk.Description'),
      performanceLevel: oneOf(p, 'SystemDisk.PerformanceLevel', ['PL0', 'PL1', 'PL2', 'PL3']),
    },
    billing: {
      instanceChargeType: oneOf(p, 'InstanceChargeType', ['PrePaid', 'PostPaid']) as 'PrePaid' | 'PostPaid' | undefined,
      internetChargeType: oneOf(p, 'InternetChargeType', ['PayByBandwidth', 'PayByTraffic']),
      internetMaxBandwidthOut: p.int('InternetMaxBandwidthOut', { min: 0, max: 100 }),
      internetMaxBandwidthIn: p.int('InternetMaxBandwidthIn', { min: 1, max: 200 }),
      spotStrategy: oneOf(p, 'SpotStrategy', ['NoSpot', 'SpotWithPriceLimit', 'SpotAsPriceGo']),
      spotPriceLimit: spotPrice === undefined ? undefined : Number(spotPrice),
      period: p.int('Period', { min: 1, max: 60 }),
      periodUnit: oneOf(p, 'PeriodUnit', ['Week', 'Month']),
      autoRenew: p.bool('AutoRenew'),
      autoRenewPeriod: p.int('AutoRenewPeriod', { min: 1, max: 12 }),
    },
  };
}
