// The one table from domain error codes to Alibaba's wire errors: HTTP status,
// Code and Message. `satisfies Record<DomainErrorCode, ...>` makes a missing
// mapping a compile error; docs/errors.md is checked against this table by a test.
import type { DomainError, DomainErrorCode, DomainErrorDetails } from '../domain/errors.ts';
import { WireError } from './wire-error.ts';

export interface WireErrorSpec {
  status: number;
  code: string;
  message: (d: DomainErrorDetails) => string;
}

const q = (v: unknown) => String(v ?? '');

export const ERROR_TABLE = {
  EniNotFound: { status: 404, code: 'InvalidEniId.NotFound', message: () => 'The specified EniId is not found.' },
  InstanceNotFound: { status: 404, code: 'InvalidInstanceId.NotFound', message: () => 'The specified InstanceId does not exist.' },
  VSwitchNotFound: { status: 404, code: 'InvalidVSwitchId.NotFound', message: () => 'The specified VSwitchId is not found.' },
  VpcNotFound: { status: 404, code: 'InvalidVpcId.NotFound', message: () => 'Specified VPC can not found.' },
  SecurityGroupNotFound: { status: 404, code: 'InvalidSecurityGroupId.NotFound', message: () => 'The specified SecurityGroupId is not found.' },
  ResourceGroupNotFound: { status: 404, code: 'InvalidResourceGroup.NotFound', message: () => 'The ResourceGroup provided does not exist in our records.' },
  RegionNotFound: { status: 404, code: 'InvalidRegionId.NotFound', message: () => 'The specified RegionId does not exist.' },
  ZoneNotFound: { status: 404, code: 'InvalidZoneId.NotFound', message: () => 'The specified zone does not exist.' },
  InstanceTypeNotFound: { status: 400, code: 'InvalidInstanceType.ValueNotSupported', message: () => 'The specified InstanceType does not exist or beyond the permitted range.' },
  EniStateInvalid: { status: 400, code: 'InvalidOperation.InvalidEniState', message: (d) => `The operation is not allowed in the current ENI state. Expecting status is \u201c${q(d.expected)}\u201d while current status is \u201c${q(d.current)}\u201d.` },
  InstanceStateInvalid: { status: 400, code: 'InvalidOperation.InvalidEcsState', message: () => 'The operation is not allowed in the current ECS state.' },
  PrimaryEniNotDetachable: { status: 400, code: 'InvalidOperation.DetachPrimaryEniNotAllowed', message: () => 'Detaching primary ENI from ECS instance is not allowed.' },
  EniTypeInvalid: { status: 403, code: 'InvalidOperation.InvalidEniType', message: () => 'The operation is not allowed in the current ENI type.' },
  ZoneMismatch: { status: 403, code: 'InvalidOperation.AvailabilityZoneMismatch', message: () => 'The VPC VSwitch of the specified ENI and ECS instance are not in the same availability zone.' },
  VpcMismatch: { status: 403, code: 'InvalidOperation.VpcMismatch', message: () => 'The VPC of the specified ENI and security group are not in the same VPC.' },
  EniPerInstanceLimitExceeded: { status: 403, code: 'EniPerInstanceLimitExceeded', message: () => 'The number of ENI exceeds the limit for the type of instance you are trying to launch.' },
  EniPerRegionLimitExceeded: { status: 403, code: 'MaxEniCountExceeded', message: () => 'The number of ENI exceeds the limit per region.' },
  EniIpv4LimitExceeded: { status: 403, code: 'MaxEniPrivateIpsCountExceeded', message: (d) => `The maximum number of private IP addresses of the ENI is exceeded. An ENI in the Available state can have at most ${q(d.max)} private IPv4 addresses, including the primary one.` },
  InstanceTypeIpv4LimitExceeded: { status: 403, code: 'InvalidOperation.Ipv4CountExceeded', message: (d) => `The number of IPv4 addresses exceeds the limit of the instance type: at most ${q(d.max)} private IPv4 addresses per ENI, including the primary one.` },
  EniIpv6LimitExceeded: { status: 403, code: 'MaxEniIpv6IpsCountExceeded', message: (d) => `The maximum number of IPv6 addresses of the ENI is exceeded. An ENI in the Available state can have at most ${q(d.max)} IPv6 addresses.` },
  InstanceTypeIpv6LimitExceeded: { status: 403, code: 'InvalidOperation.Ipv6CountExceeded', message: (d) => `The number of IPv6 addresses exceeds the limit of the instance type: at most ${q(d.max)} IPv6 addresses per ENI.` },
  SecurityGroupIpCapacityExceeded: { status: 403, code: 'SecurityGroupInstanceLimitExceed', message: () => 'The maximum number of instances in a security group is exceeded.' },
  SecurityGroupsPerEniExceeded: { status: 400, code: 'JoinedGroupLimitExceed', message: (d) => `The number of security groups an ENI can join is exceeded (at most ${q(d.max)}).` },
  VSwitchIpNotEnough: { status: 403, code: 'InvalidVSwitchId.IpNotEnough', message: (d) => `The specified VSwitch "${q(d.vSwitchId)}" has not enough IpAddress.` },
  VSwitchIpv6NotEnabled: { status: 403, code: 'InvalidVSwitch.Ipv6NotTurnOn', message: () => 'The IPv6 CIDR block of the specified VSwitch is not enabled.' },
  AddressInvalidForVSwitch: { status: 403, code: 'InvalidVSwitchId.IpInvalid', message: () => 'The specified IpAddress is not valid in VSwitch CIDR block.' },
  AddressInUse: { status: 403, code: 'InvalidIp.IpAssigned', message: (d) => `The specified IP "${q(d.address)}" is already assigned.` },
  AddressRepeated: { status: 403, code: 'InvalidIp.IpRepeated', message: (d) => `The specified IP "${q(d.address)}" is repeated.` },
  AddressMalformed: { status: 403, code: 'InvalidIp.Address', message: (d) => `The specified IP address "${q(d.address)}" is not valid.` },
  AddressNotAssigned: { status: 403, code: 'InvalidIp.IpUnassigned', message: (d) => `The specified IP "${q(d.address)}" is not assigned on this ENI.` },
  CidrInvalid: { status: 400, code: 'InvalidCidrBlock.Malformed', message: (d) => `Specified CIDR block is not valid.${d.reason ? ` ${q(d.reason)}.` : ''}` },
  CidrOverlap: { status: 400, code: 'InvalidCidrBlock.Overlapped', message: () => "Specified CIDR block overlapped with other vswitch's cidr block." },
  Ipv6CidrInvalid: { status: 400, code: 'InvalidIpv6CidrBlock.Malformed', message: () => 'Specified IPv6 CIDR block is not valid.' },
  VpcIpv6NotEnabled: { status: 400, code: 'OperationFailed.Ipv6NotEnabled', message: () => 'The VPC has no IPv6 CIDR block; create it with EnableIpv6.' },
  DependencyViolation: { status: 400, code: 'DependencyViolation', message: (d) => `Specified object has dependent resources (${q(d.dependent)}).` },
  TagKeyInvalid: { status: 400, code: 'InvalidTagKey.Malformed', message: (d) => `The specified Tag.${q(d.index)}.Key is not valid.` },
  TagValueInvalid: { status: 400, code: 'InvalidTagValue.Malformed', message: (d) => `The specified Tag.${q(d.index)}.Value is not valid.` },
  TagKeyDuplicated: { status: 400, code: 'Duplicate.TagKey', message: () => 'The Tag.N.Key contain duplicate key.' },
  TooManyTagsInRequest: { status: 400, code: 'NumberExceed.Tags', message: () => "The Tags parameter's number is exceed , Valid : 20" },
  TooManyTagResourceIds: { status: 400, code: 'NumberExceed.ResourceIds', message: () => "The ResourceIds parameter's number is exceed , Valid : 50" },
  TagQuotaExceeded: { status: 400, code: 'OperationDenied.QuotaExceed', message: () => 'The quota of tags on resource is beyond permitted range.' },
  TagResourceNotFound: { status: 404, code: 'InvalidResourceId.NotFound', message: () => 'The specified ResourceIds are not found in our records.' },
  TagResourceTypeInvalid: { status: 404, code: 'InvalidResourceType.NotFound', message: () => 'The ResourceType provided does not exist in our records.' },
  TagQueryEmpty: { status: 400, code: 'BothEmpty.TagsAndResources', message: () => 'The specified Tags and ResourcesIds are not allow to both empty.' },
  InvalidParameter: { status: 400, code: 'InvalidParameter', message: (d) => `The specified parameter "${q(d.name)}" is not valid.${d.reason ? ` ${q(d.reason)}.` : ''}` },
  ParameterConflict: { status: 400, code: 'InvalidParameter.Conflict', message: (d) => `The specified parameters ${q(d.names)} conflict with each other.` },
  MissingParameter: { status: 400, code: 'MissingParameter', message: (d) => `The input parameter "${q(d.name)}" that is mandatory for processing this request is not supplied.` },
  IdempotentParameterMismatch: { status: 400, code: 'IdempotentParameterMismatch', message: () => 'The request uses the same client token as a previous, but non-identical request.' },
  OperationConflict: { status: 403, code: 'Operation.Conflict', message: () => 'The operation may conflicts with others, please retry later.' },
  RequestReplayed: { status: 400, code: 'SignatureNonceUsed', message: () => 'Specified signature nonce was used already.' },
} satisfies Record<DomainErrorCode, WireErrorSpec>;

/** Per-action differences, e.g. Attach/Detach name a missing instance InvalidEcsId.NotFound. */
export type ErrorOverrides = Partial<Record<DomainErrorCode, WireErrorSpec>>;

export const ECS_ID_NOT_FOUND: WireErrorSpec = { status: 404, code: 'InvalidEcsId.NotFound', message: () => 'The specified EcsId is not found.' };
export const INCORRECT_INSTANCE_STATUS: WireErrorSpec = { status: 403, code: 'IncorrectInstanceStatus', message: () => 'The current status of the resource does not support this operation.' };
export const VSWITCH_DEPENDENCY: WireErrorSpec = { status: 400, code: 'DependencyViolation', message: () => 'Specified object has dependent resources.' };

/**
 * The VPC product's tag actions (TagResources, UnTagResources, ListTagResources of
 * 2016-04-28) answer with their own family of codes, as its API tables list them.
 */
export const VPC_TAG_ERRORS: ErrorOverrides = {
  TagKeyInvalid: { status: 400, code: 'InvalidTagKey', message: () => 'The tag keys are not valid.' },
  TagValueInvalid: { status: 400, code: 'InvalidTagValue', message: () => 'The tag values are not valid.' },
  TagKeyDuplicated: { status: 400, code: 'Forbidden.TagKey.Duplicated', message: () => 'The specified tag key already exists.' },
  TooManyTagsInRequest: { status: 400, code: 'SizeLimitExceeded.TagNum', message: () => 'The maximum number of tags is exceeded.' },
  TooManyTagResourceIds: { status: 400, code: 'SizeLimitExceeded.ResourceId', message: () => 'The maximum number of resource IDs is exceeded.' },
  TagQuotaExceeded: { status: 400, code: 'QuotaExceeded.TagNum', message: () => 'Custom Tags quota exceeded' },
  TagResourceNotFound: { status: 400, code: 'InvalidInstanceIds.NotFound', message: () => 'The instanceIds are not found' },
  TagResourceTypeInvalid: { status: 400, code: 'InvalidInstanceType.NotFound', message: () => 'The instance type is not found' },
};

export function toWireError(e: DomainError, overrides?: ErrorOverrides): WireError {
  const spec: WireErrorSpec = overrides?.[e.code] ?? ERROR_TABLE[e.code];
  return new WireError(spec.status, spec.code, spec.message(e.details));
}
