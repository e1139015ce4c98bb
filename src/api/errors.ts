// The one catalogue of every error eniplane can send on the wire: HTTP status,
// Code and a Message template per entry. Call sites raise them through the
// constructors (`wireErrors.missingParameter('Name')`), never with
// `new WireError(...)` (eslint forbids it outside this file). Below it, the
// domain -> wire table: `satisfies Record<DomainErrorCode, ...>` makes a missing
// mapping a compile error. test/api/errors-doc.test.ts checks docs/errors.md
// against the catalogue and the domain table, both ways.
//
// Pure (no node:*): the console imports it for the exact messages.
import type { DomainError, DomainErrorCode, DomainErrorDetails } from '../domain/errors.ts';
import { WireError } from './wire-error.ts';

interface WireTemplate {
  status: number;
  code: string;
  message: (...args: never[]) => string;
}

const MISMATCH_PREFIX = 'Specified signature is not matched with our calculation. server string to sign is:';
const MISSING = (name: string) => `The input parameter "${name}" that is mandatory for processing this request is not supplied.`;

export const WIRE_CATALOGUE = {
  // --- resources (domain errors, mapped in ERROR_TABLE below) ---
  eniNotFound: { status: 404, code: 'InvalidEniId.NotFound', message: () => 'The specified EniId is not found.' },
  instanceNotFound: { status: 404, code: 'InvalidInstanceId.NotFound', message: () => 'The specified InstanceId does not exist.' },
  vSwitchNotFound: { status: 404, code: 'InvalidVSwitchId.NotFound', message: () => 'The specified VSwitchId is not found.' },
  vpcNotFound: { status: 404, code: 'InvalidVpcId.NotFound', message: () => 'Specified VPC can not found.' },
  securityGroupNotFound: {
    status: 404,
    code: 'InvalidSecurityGroupId.NotFound',
    message: () => 'The specified SecurityGroupId is not found.',
  },
  resourceGroupNotFound: {
    status: 404,
    code: 'InvalidResourceGroup.NotFound',
    message: () => 'The ResourceGroup provided does not exist in our records.',
  },
  regionNotFound: { status: 404, code: 'InvalidRegionId.NotFound', message: () => 'The specified RegionId does not exist.' },
  zoneNotFound: { status: 404, code: 'InvalidZoneId.NotFound', message: () => 'The specified zone does not exist.' },
  instanceTypeNotFound: {
    status: 400,
    code: 'InvalidInstanceType.ValueNotSupported',
    message: () => 'The specified InstanceType does not exist or beyond the permitted range.',
  },
  eniStateInvalid: {
    status: 400,
    code: 'InvalidOperation.InvalidEniState',
    message: (expected: string, current: string) =>
      `The operation is not allowed in the current ENI state. Expecting status is \u201c${expected}\u201d while current status is \u201c${current}\u201d.`,
  },
  instanceStateInvalid: {
    status: 400,
    code: 'InvalidOperation.InvalidEcsState',
    message: () => 'The operation is not allowed in the current ECS state.',
  },
  primaryEniNotDetachable: {
    status: 400,
    code: 'InvalidOperation.DetachPrimaryEniNotAllowed',
    message: () => 'Detaching primary ENI from ECS instance is not allowed.',
  },
  eniTypeInvalid: {
    status: 403,
    code: 'InvalidOperation.InvalidEniType',
    message: () => 'The operation is not allowed in the current ENI type.',
  },
  zoneMismatch: {
    status: 403,
    code: 'InvalidOperation.AvailabilityZoneMismatch',
    message: () => 'The VPC VSwitch of the specified ENI and ECS instance are not in the same availability zone.',
  },
  vpcMismatch: {
    status: 403,
    code: 'InvalidOperation.VpcMismatch',
    message: () => 'The VPC of the specified ENI and security group are not in the same VPC.',
  },
  eniPerInstanceLimitExceeded: {
    status: 403,
    code: 'EniPerInstanceLimitExceeded',
    message: () => 'The number of ENI exceeds the limit for the type of instance you are trying to launch.',
  },
  eniPerRegionLimitExceeded: { status: 403, code: 'MaxEniCountExceeded', message: () => 'The number of ENI exceeds the limit per region.' },
  eniIpv4LimitExceeded: {
    status: 403,
    code: 'MaxEniPrivateIpsCountExceeded',
    message: (max: string) =>
      `The maximum number of private IP addresses of the ENI is exceeded. An ENI in the Available state can have at most ${max} private IPv4 addresses, including the primary one.`,
  },
  instanceTypeIpv4LimitExceeded: {
    status: 403,
    code: 'InvalidOperation.Ipv4CountExceeded',
    message: (max: string) =>
      `The number of IPv4 addresses exceeds the limit of the instance type: at most ${max} private IPv4 addresses per ENI, including the primary one.`,
  },
  eniIpv6LimitExceeded: {
    status: 403,
    code: 'MaxEniIpv6IpsCountExceeded',
    message: (max: string) =>
      `The maximum number of IPv6 addresses of the ENI is exceeded. An ENI in the Available state can have at most ${max} IPv6 addresses.`,
  },
  instanceTypeIpv6LimitExceeded: {
    status: 403,
    code: 'InvalidOperation.Ipv6CountExceeded',
    message: (max: string) => `The number of IPv6 addresses exceeds the limit of the instance type: at most ${max} IPv6 addresses per ENI.`,
  },
  securityGroupIpCapacityExceeded: {
    status: 403,
    code: 'SecurityGroupInstanceLimitExceed',
    message: () => 'The maximum number of instances in a security group is exceeded.',
  },
  securityGroupsPerEniExceeded: {
    status: 400,
    code: 'JoinedGroupLimitExceed',
    message: (max: string) => `The number of security groups an ENI can join is exceeded (at most ${max}).`,
  },
  vSwitchIpNotEnough: {
    status: 403,
    code: 'InvalidVSwitchId.IpNotEnough',
    message: (vSwitchId: string) => `The specified VSwitch "${vSwitchId}" has not enough IpAddress.`,
  },
  vSwitchIpv6NotEnabled: {
    status: 403,
    code: 'InvalidVSwitch.Ipv6NotTurnOn',
    message: () => 'The IPv6 CIDR block of the specified VSwitch is not enabled.',
  },
  addressInvalidForVSwitch: {
    status: 403,
    code: 'InvalidVSwitchId.IpInvalid',
    message: () => 'The specified IpAddress is not valid in VSwitch CIDR block.',
  },
  addressInUse: {
    status: 403,
    code: 'InvalidIp.IpAssigned',
    message: (address: string) => `The specified IP "${address}" is already assigned.`,
  },
  addressRepeated: {
    status: 403,
    code: 'InvalidIp.IpRepeated',
    message: (address: string) => `The specified IP "${address}" is repeated.`,
  },
  addressMalformed: {
    status: 403,
    code: 'InvalidIp.Address',
    message: (address: string) => `The specified IP address "${address}" is not valid.`,
  },
  addressNotAssigned: {
    status: 403,
    code: 'InvalidIp.IpUnassigned',
    message: (address: string) => `The specified IP "${address}" is not assigned on this ENI.`,
  },
  cidrInvalid: {
    status: 400,
    code: 'InvalidCidrBlock.Malformed',
    message: (why?: string) => `Specified CIDR block is not valid.${why ? ` ${why}` : ''}`,
  },
  cidrOverlap: {
    status: 400,
    code: 'InvalidCidrBlock.Overlapped',
    message: () => "Specified CIDR block overlapped with other vswitch's cidr block.",
  },
  ipv6CidrInvalid: { status: 400, code: 'InvalidIpv6CidrBlock.Malformed', message: () => 'Specified IPv6 CIDR block is not valid.' },
  vpcIpv6NotEnabled: {
    status: 400,
    code: 'OperationFailed.Ipv6NotEnabled',
    message: () => 'The VPC has no IPv6 CIDR block; create it with EnableIpv6.',
  },
  dependencyViolation: {
    status: 400,
    code: 'DependencyViolation',
    message: (dependent: string) => `Specified object has dependent resources (${dependent}).`,
  },
  idempotentParameterMismatch: {
    status: 400,
    code: 'IdempotentParameterMismatch',
    message: () => 'The request uses the same client token as a previous, but non-identical request.',
  },
  // trunk mode: the codes of DetachNetworkInterface's and ModifyInstanceSpec's error tables (their messages are "%s" there)
  instanceTypeNotSupportTrunking: {
    status: 403,
    code: 'InvalidOperation.InstanceTypeNotSupportEniTrunking',
    message: (instanceType: string) => `The instance type "${instanceType}" does not support ENI trunking.`,
  },
  eniTypeNotSupportTrunking: {
    status: 403,
    code: 'InvalidOperation.EniTypeNotSupportTrunking',
    message: (eniId: string, type: string) => `The ENI "${eniId}" of type ${type} does not support operations related to the trunk mode.`,
  },
  eniNotBelongTrunk: {
    status: 403,
    code: 'InvalidParameter.EniNotBelongTrunk',
    message: (eniId: string, trunkEniId: string) => `The specified ENI "${eniId}" is not a member of the trunk ENI "${trunkEniId}".`,
  },
  trunkEniStateInvalid: {
    status: 403,
    code: 'InvalidOperation.InvalidTrunkEniStatus',
    message: (trunkEniId: string, instanceId: string) => `The trunk ENI "${trunkEniId}" is not InUse on the instance "${instanceId}".`,
  },
  hasMemberEniAttached: {
    status: 403,
    code: 'InvalidOperation.HasMemberEniAttached',
    message: (trunkEniId: string) => `Member ENIs are attached to the trunk ENI "${trunkEniId}"; detach them first.`,
  },
  memberEniPerInstanceLimitExceeded: {
    status: 403,
    code: 'EniPerInstanceLimitExceeded',
    message: (max: string) =>
      `The maximum number of member ENIs of the instance type is reached (${max}: EniTotalQuantity minus EniQuantity).`,
  },
  trunkEniPerInstanceLimitExceeded: {
    status: 403,
    code: 'EniPerInstanceLimitExceeded',
    message: (trunkEniId: string) => `The instance already has a trunk ENI ("${trunkEniId}"); an instance can have only one.`,
  },
  operationConflict: {
    status: 403,
    code: 'Operation.Conflict',
    message: () => 'The operation may conflicts with others, please retry later.',
  },

  // --- per-action variants (ActionDef.errors) ---
  /** Attach/DetachNetworkInterface name a missing instance this way. */
  ecsIdNotFound: { status: 404, code: 'InvalidEcsId.NotFound', message: () => 'The specified EcsId is not found.' },
  /** Start/Stop/DeleteInstance refuse a wrong state this way. */
  incorrectInstanceStatus: {
    status: 403,
    code: 'IncorrectInstanceStatus',
    message: () => 'The current status of the resource does not support this operation.',
  },
  /** DeleteSecurityGroup: an ENI is still in the group. */
  securityGroupInUse: {
    status: 403,
    code: 'DependencyViolation',
    message: () => 'There is still instance(s) in the specified security group.',
  },

  // --- parameters (api layer and domain alike) ---
  missingParameter: { status: 400, code: 'MissingParameter', message: MISSING },
  /** `why` is a whole sentence, its period included. */
  invalidParameter: {
    status: 400,
    code: 'InvalidParameter',
    message: (name: string, why?: string) => `The specified parameter "${name}" is not valid.${why ? ` ${why}` : ''}`,
  },
  parameterConflict: {
    status: 400,
    code: 'InvalidParameter.Conflict',
    message: (names: string) => `The specified parameters ${names} conflict with each other.`,
  },
  /** e.g. "Data disks": COMPAT, not emulated. */
  unsupportedParameter: { status: 400, code: 'UnsupportedParameter', message: (what: string) => `${what} are not supported by eniplane.` },

  // --- tags (domain/tags.ts; ECS codes, the VPC product's below) ---
  invalidTagKey: { status: 400, code: 'InvalidTagKey.Malformed', message: (n: string) => `The specified Tag.${n}.Key is not valid.` },
  invalidTagValue: { status: 400, code: 'InvalidTagValue.Malformed', message: (n: string) => `The specified Tag.${n}.Value is not valid.` },
  duplicateTagKey: { status: 400, code: 'Duplicate.TagKey', message: () => 'The Tag.N.Key contain duplicate key.' },
  tooManyTagsInRequest: { status: 400, code: 'NumberExceed.Tags', message: () => "The Tags parameter's number is exceed , Valid : 20" },
  tooManyTagResourceIds: {
    status: 400,
    code: 'NumberExceed.ResourceIds',
    message: () => "The ResourceIds parameter's number is exceed , Valid : 50",
  },
  tagQuotaExceeded: {
    status: 400,
    code: 'OperationDenied.QuotaExceed',
    message: () => 'The quota of tags on resource is beyond permitted range.',
  },
  tagResourceNotFound: {
    status: 404,
    code: 'InvalidResourceId.NotFound',
    message: () => 'The specified ResourceIds are not found in our records.',
  },
  tagResourceTypeNotFound: {
    status: 404,
    code: 'InvalidResourceType.NotFound',
    message: () => 'The ResourceType provided does not exist in our records.',
  },
  tagQueryEmpty: {
    status: 400,
    code: 'BothEmpty.TagsAndResources',
    message: () => 'The specified Tags and ResourcesIds are not allow to both empty.',
  },
  /** The VPC product's TagResources, UnTagResources and ListTagResources answer with their own family (ActionDef.errors). */
  vpcInvalidTagKey: { status: 400, code: 'InvalidTagKey', message: () => 'The tag keys are not valid.' },
  vpcInvalidTagValue: { status: 400, code: 'InvalidTagValue', message: () => 'The tag values are not valid.' },
  vpcDuplicateTagKey: { status: 400, code: 'Forbidden.TagKey.Duplicated', message: () => 'The specified tag key already exists.' },
  vpcTooManyTags: { status: 400, code: 'SizeLimitExceeded.TagNum', message: () => 'The maximum number of tags is exceeded.' },
  vpcTooManyResourceIds: {
    status: 400,
    code: 'SizeLimitExceeded.ResourceId',
    message: () => 'The maximum number of resource IDs is exceeded.',
  },
  vpcTagQuotaExceeded: { status: 400, code: 'QuotaExceeded.TagNum', message: () => 'Custom Tags quota exceeded' },
  vpcTagResourceNotFound: { status: 400, code: 'InvalidInstanceIds.NotFound', message: () => 'The instanceIds are not found' },
  vpcTagResourceTypeNotFound: { status: 400, code: 'InvalidInstanceType.NotFound', message: () => 'The instance type is not found' },
  vpcTagQueryEmpty: {
    status: 403,
    code: 'BothEmpty.TagsAndResources',
    message: () => 'The specified Tags and ResourcesIds are not allow to both empty.',
  },

  // --- the request itself ---
  invalidVersion: {
    status: 400,
    code: 'InvalidVersion',
    message: (version: string) => `Specified parameter Version "${version}" is not valid.`,
  },
  actionNotFound: {
    status: 404,
    code: 'InvalidAction.NotFound',
    message: () => 'Specified api is not found, please check your url and method.',
  },
  internalError: {
    status: 500,
    code: 'InternalError',
    message: () => 'The request processing has failed due to some unknown error, exception or failure.',
  },
  // Request quotas (--throttle, api/chaos.ts): the cloud's codes and messages; sent with x-acs-retry-after.
  throttling: { status: 400, code: 'Throttling', message: () => 'Request was denied due to request throttling.' },
  throttlingUser: { status: 400, code: 'Throttling.User', message: () => 'Request was denied due to user flow control.' },
  throttlingApi: { status: 400, code: 'Throttling.Api', message: () => 'Request was denied due to api flow control.' },

  // --- signing (api/signing/verify.ts maps each SigningFailure kind to one of these; all 400, ecs-api.md §7.2) ---
  signatureMissing: { status: 400, code: 'MissingParameter', message: MISSING },
  incompleteSignature: {
    status: 400,
    code: 'IncompleteSignature',
    message: (reason: string) => `The request signature does not conform to Aliyun standards: ${reason}.`,
  },
  // COMPAT: real Alibaba implements these algorithms; we answer like a bad SignatureMethod.
  unsupportedAlgorithm: {
    status: 400,
    code: 'InvalidParamater',
    message: (algorithm: string) => `The signature algorithm "${algorithm}" is not supported; use ACS3-HMAC-SHA256.`,
  },
  /** sic: Alibaba's spelling for a bad SignatureMethod/SignatureVersion */
  invalidSignatureParameter: {
    status: 400,
    code: 'InvalidParamater',
    message: (parameter: 'SignatureMethod' | 'SignatureVersion') =>
      `The specified parameter "${parameter}" is not valid; only ${parameter === 'SignatureMethod' ? 'HMAC-SHA1' : '1.0'} is supported.`,
  },
  // What Alibaba's gateway (PopGw) answers: for an RPC Timestamp it cannot read, IllegalTimestamp with the
  // "not supplied" wording (a captured response, and the common error table); for ACS3's x-acs-date,
  // InvalidTimeStamp.Format, as clients of the ACS3 scheme report it.
  illegalTimestamp: { status: 400, code: 'IllegalTimestamp', message: MISSING },
  timestampFormat: {
    status: 400,
    code: 'InvalidTimeStamp.Format',
    message: () => 'Specified time stamp or date value is not well formatted.',
  },
  // The Go SDK strips this exact prefix and diffs the rest against its own StringToSign to print a hint.
  signatureDoesNotMatch: {
    status: 400,
    code: 'SignatureDoesNotMatch',
    message: (stringToSign: string) => `${MISMATCH_PREFIX}${stringToSign}`,
  },
  /** 400, not 404: Terraform must never read an auth problem as "resource gone". The console's sign-in says the same. */
  accessKeyNotFound: { status: 400, code: 'InvalidAccessKeyId.NotFound', message: () => 'Specified access key is not found.' },
  /** A disabled key is told apart from an unknown one, as Alibaba's gateway does. */
  accessKeyInactive: { status: 400, code: 'InvalidAccessKeyId.Inactive', message: () => 'Specified access key is disabled.' },
  timestampExpired: { status: 400, code: 'InvalidTimeStamp.Expired', message: () => 'Specified time stamp or date value is expired.' },
  requestReplayed: { status: 400, code: 'SignatureNonceUsed', message: () => 'Specified signature nonce was used already.' },
  storeUnavailable: {
    status: 503,
    code: 'ServiceUnavailable',
    message: () => 'The request has failed due to a temporary failure of the server.',
  },

  // --- string lengths (api/string-limits.ts; the actions' own codes, Alibaba's "Discription" spelling) ---
  vpcNameMalformed: { status: 400, code: 'InvalidVpcName.Malformed', message: () => 'Specified VPC name is not valid.' },
  vpcDescriptionMalformed: {
    status: 400,
    code: 'InvalidVpcDiscription.Malformed',
    message: () => 'Specified VPC description is not valid.',
  },
  vSwitchNameMalformed: { status: 400, code: 'InvalidVSwitchName.Malformed', message: () => 'Specified virtual switch name is not valid.' },
  vSwitchDescriptionMalformed: {
    status: 400,
    code: 'InvalidVSwitchDiscription.Malformed',
    message: () => 'Specified virtual switch description is not valid.',
  },
  securityGroupNameMalformed: {
    status: 400,
    code: 'InvalidSecurityGroupName.Malformed',
    message: () => 'Specified security group name is not valid.',
  },
  securityGroupDescriptionMalformed: {
    status: 400,
    code: 'InvalidSecurityGroupDiscription.Malformed',
    message: () => 'Specified security group description is not valid.',
  },
  instanceNameMalformed: {
    status: 400,
    code: 'InvalidInstanceName.Malformed',
    message: () => 'The specified parameter "InstanceName" is not valid.',
  },
  hostNameMalformed: { status: 400, code: 'InvalidHostName.Malformed', message: () => 'The specified parameter "HostName" is not valid.' },
  descriptionMalformed: {
    status: 400,
    code: 'InvalidDescription.Malformed',
    message: () => 'The specified parameter "Description" is not valid.',
  },
  passwordMalformed: { status: 400, code: 'InvalidPassword.Malformed', message: () => 'The specified parameter "Password" is not valid.' },
  keyPairNameMalformed: { status: 400, code: 'InvalidKeyPairName.Malformed', message: () => 'Specified Key Pair name is not valid.' },
  diskNameMalformed: {
    status: 400,
    code: 'InvalidDiskName.Malformed',
    message: () => 'The specified parameter "SystemDisk.DiskName or DataDisk.n.DiskName" is not valid.',
  },
  diskDescriptionMalformed: {
    status: 400,
    code: 'InvalidDiskDescription.Malformed',
    message: () => 'The specified parameter "SystemDisk.DiskDescription or DataDisk.n.Description" is not valid.',
  },
  userDataSizeExceeded: {
    status: 400,
    code: 'InvalidUserData.SizeExceeded',
    message: () => 'The specified parameter "UserData" exceeds the size.',
  },

  // --- the HTTP layer itself (api/http-errors.ts; codes of eniplane's own where Alibaba documents none) ---
  consoleFileNotFound: { status: 404, code: 'Console.FileNotFound', message: () => 'The specified console file does not exist.' },
  badUrl: { status: 400, code: 'InvalidParameter.Url', message: () => 'The request URL is not valid: it has a malformed percent escape.' },
  bodyTooLarge: {
    status: 413,
    code: 'RequestBodyTooLarge',
    message: (limitBytes: number) => `The request body exceeds ${limitBytes} bytes.`,
  },
  badContentType: { status: 415, code: 'InvalidParameter.ContentType', message: () => 'The Content-Type of the request is not valid.' },
  badRequest: { status: 400, code: 'InvalidParameter.Request', message: () => 'The request is not valid HTTP/1.1.' },
  headersTooLarge: { status: 431, code: 'RequestHeaderTooLarge', message: () => 'The request line and headers exceed the server limit.' },
  requestTimeout: { status: 408, code: 'RequestTimeout', message: () => 'The request was not received in time.' },

  // --- the console's JSON routes (api/console/) ---
  consoleSecretMismatch: {
    status: 400,
    code: 'SignatureDoesNotMatch',
    message: () => 'The AccessKey Secret does not match the AccessKey ID.',
  },
  consoleSessionExpired: {
    status: 401,
    code: 'ConsoleSession.Expired',
    message: () => 'The console session has expired or was ended. Sign in again.',
  },
  consoleCsrfInvalid: {
    status: 403,
    code: 'ConsoleSession.CsrfTokenInvalid',
    message: () => 'The request did not carry the x-csrf-token header of this console session.',
  },
  consoleCrossOrigin: { status: 403, code: 'ConsoleSession.CrossOrigin', message: () => 'The request came from another origin.' },
  consoleNotJson: { status: 415, code: 'InvalidParameter.ContentType', message: () => 'The request body must be application/json.' },
  consoleBodyNotObject: { status: 400, code: 'InvalidParameter', message: () => 'The request body is not a JSON object.' },
  consoleOsConfigUnrenderable: {
    status: 400,
    code: 'InvalidParameter',
    message: (problems: string) => `The ENI cannot be rendered for this OS: ${problems}.`,
  },
} as const satisfies Record<string, WireTemplate>;

type Catalogue = typeof WIRE_CATALOGUE;
type WireErrorName = keyof Catalogue;
type Args<K extends WireErrorName> = Parameters<Catalogue[K]['message']>;

/** One constructor per catalogue entry, typed by its template's arguments. */
export const wireErrors = Object.fromEntries(
  Object.entries(WIRE_CATALOGUE as Record<string, WireTemplate>).map(([name, t]) => [
    name,
    (...args: never[]) => new WireError(t.status, t.code, t.message(...args)),
  ]),
) as { [K in WireErrorName]: (...args: Args<K>) => WireError<Catalogue[K]['code']> };

// --- domain errors -> wire ---

export interface WireErrorSpec {
  status: number;
  code: string;
  message: (d: DomainErrorDetails) => string;
}

const q = (v: unknown) => String(v ?? '');

/** A catalogue entry as a domain mapping; `args` picks the template's arguments from the error's details. */
function from<K extends WireErrorName>(name: K, ...[args]: Args<K> extends [] ? [] : [(d: DomainErrorDetails) => Args<K>]): WireErrorSpec {
  const t: WireTemplate = WIRE_CATALOGUE[name];
  return { status: t.status, code: t.code, message: (d) => (t.message as (...a: unknown[]) => string)(...(args ? args(d) : [])) };
}

/**
 * Domain and service name parameters in their own words (camelCase); the wire names them as
 * Alibaba does. A name not listed here (e.g. `count`, or a CLI argument) goes out as it is.
 */
const WIRE_PARAMETER_NAMES: Readonly<Record<string, string>> = {
  accessKeyId: 'AccessKeyId',
  accessKeySecret: 'AccessKeySecret',
  amount: 'Amount',
  clientToken: 'ClientToken',
  ipv6Address: 'Ipv6Address',
  ipv6Addresses: 'Ipv6Address.1',
  ipv6Count: 'Ipv6AddressCount',
  ipv4Prefix: 'Ipv4Prefix.N',
  ipv4PrefixCount: 'Ipv4PrefixCount',
  ipv6Prefix: 'Ipv6Prefix.N',
  ipv6PrefixCount: 'Ipv6PrefixCount',
  privateIpAddress: 'PrivateIpAddress',
  privateIpAddresses: 'PrivateIpAddress.1',
  resourceGroupName: 'Name',
  secondaryIpv4Count: 'SecondaryPrivateIpAddressCount',
  securityGroupIds: 'SecurityGroupIds',
};
const param = (name: unknown) => WIRE_PARAMETER_NAMES[q(name)] ?? q(name);
/** `names` is a comma-separated list of domain parameter names. */
const params = (names: unknown) => q(names).split(',').map(param).join(',');

/** A domain reason is a phrase; the wire sentence gets its period. */
const sentence = (reason: unknown) => (reason ? `${q(reason)}.` : undefined);

export const ERROR_TABLE = {
  EniNotFound: from('eniNotFound'),
  InstanceNotFound: from('instanceNotFound'),
  VSwitchNotFound: from('vSwitchNotFound'),
  VpcNotFound: from('vpcNotFound'),
  SecurityGroupNotFound: from('securityGroupNotFound'),
  ResourceGroupNotFound: from('resourceGroupNotFound'),
  RegionNotFound: from('regionNotFound'),
  ZoneNotFound: from('zoneNotFound'),
  InstanceTypeNotFound: from('instanceTypeNotFound'),
  EniStateInvalid: from('eniStateInvalid', (d) => [q(d.expected), q(d.current)]),
  InstanceStateInvalid: from('instanceStateInvalid'),
  PrimaryEniNotDetachable: from('primaryEniNotDetachable'),
  EniTypeInvalid: from('eniTypeInvalid'),
  ZoneMismatch: from('zoneMismatch'),
  VpcMismatch: from('vpcMismatch'),
  EniPerInstanceLimitExceeded: from('eniPerInstanceLimitExceeded'),
  InstanceTypeNotSupportTrunking: from('instanceTypeNotSupportTrunking', (d) => [q(d.instanceType)]),
  EniTypeNotSupportTrunking: from('eniTypeNotSupportTrunking', (d) => [q(d.eniId), q(d.type)]),
  EniNotBelongTrunk: from('eniNotBelongTrunk', (d) => [q(d.eniId), q(d.trunkEniId)]),
  TrunkEniStateInvalid: from('trunkEniStateInvalid', (d) => [q(d.eniId), q(d.instanceId)]),
  HasMemberEniAttached: from('hasMemberEniAttached', (d) => [q(d.eniId)]),
  MemberEniPerInstanceLimitExceeded: from('memberEniPerInstanceLimitExceeded', (d) => [q(d.max)]),
  TrunkEniPerInstanceLimitExceeded: from('trunkEniPerInstanceLimitExceeded', (d) => [q(d.trunkEniId)]),
  EniPerRegionLimitExceeded: from('eniPerRegionLimitExceeded'),
  EniIpv4LimitExceeded: from('eniIpv4LimitExceeded', (d) => [q(d.max)]),
  InstanceTypeIpv4LimitExceeded: from('instanceTypeIpv4LimitExceeded', (d) => [q(d.max)]),
  EniIpv6LimitExceeded: from('eniIpv6LimitExceeded', (d) => [q(d.max)]),
  InstanceTypeIpv6LimitExceeded: from('instanceTypeIpv6LimitExceeded', (d) => [q(d.max)]),
  SecurityGroupIpCapacityExceeded: from('securityGroupIpCapacityExceeded'),
  SecurityGroupsPerEniExceeded: from('securityGroupsPerEniExceeded', (d) => [q(d.max)]),
  VSwitchIpNotEnough: from('vSwitchIpNotEnough', (d) => [q(d.vSwitchId)]),
  VSwitchIpv6NotEnabled: from('vSwitchIpv6NotEnabled'),
  AddressInvalidForVSwitch: from('addressInvalidForVSwitch'),
  AddressInUse: from('addressInUse', (d) => [q(d.address)]),
  AddressRepeated: from('addressRepeated', (d) => [q(d.address)]),
  AddressMalformed: from('addressMalformed', (d) => [q(d.address)]),
  AddressNotAssigned: from('addressNotAssigned', (d) => [q(d.address)]),
  CidrInvalid: from('cidrInvalid', (d) => [sentence(d.reason)]),
  CidrOverlap: from('cidrOverlap'),
  Ipv6CidrInvalid: from('ipv6CidrInvalid'),
  VpcIpv6NotEnabled: from('vpcIpv6NotEnabled'),
  DependencyViolation: from('dependencyViolation', (d) => [q(d.dependent)]),
  TagKeyInvalid: from('invalidTagKey', (d) => [q(d.index)]),
  TagValueInvalid: from('invalidTagValue', (d) => [q(d.index)]),
  TagKeyDuplicated: from('duplicateTagKey'),
  TooManyTagsInRequest: from('tooManyTagsInRequest'),
  TooManyTagResourceIds: from('tooManyTagResourceIds'),
  TagQuotaExceeded: from('tagQuotaExceeded'),
  TagResourceNotFound: from('tagResourceNotFound'),
  TagResourceTypeInvalid: from('tagResourceTypeNotFound'),
  TagQueryEmpty: from('tagQueryEmpty'),
  InvalidParameter: from('invalidParameter', (d) => [param(d.name), sentence(d.reason)]),
  ParameterConflict: from('parameterConflict', (d) => [params(d.names)]),
  MissingParameter: from('missingParameter', (d) => [param(d.name)]),
  IdempotentParameterMismatch: from('idempotentParameterMismatch'),
  OperationConflict: from('operationConflict'),
  RequestReplayed: from('requestReplayed'),
  StoreUnavailable: from('storeUnavailable'),
} satisfies Record<DomainErrorCode, WireErrorSpec>;

/** Per-action differences, e.g. Attach/Detach name a missing instance InvalidEcsId.NotFound. */
export type ErrorOverrides = Partial<Record<DomainErrorCode, WireErrorSpec>>;

export const ECS_ID_NOT_FOUND = from('ecsIdNotFound');
export const INCORRECT_INSTANCE_STATUS = from('incorrectInstanceStatus');
export const SECURITY_GROUP_IN_USE = from('securityGroupInUse');

export const VPC_TAG_ERRORS: ErrorOverrides = {
  TagKeyInvalid: from('vpcInvalidTagKey'),
  TagValueInvalid: from('vpcInvalidTagValue'),
  TagKeyDuplicated: from('vpcDuplicateTagKey'),
  TooManyTagsInRequest: from('vpcTooManyTags'),
  TooManyTagResourceIds: from('vpcTooManyResourceIds'),
  TagQuotaExceeded: from('vpcTagQuotaExceeded'),
  TagResourceNotFound: from('vpcTagResourceNotFound'),
  TagResourceTypeInvalid: from('vpcTagResourceTypeNotFound'),
  TagQueryEmpty: from('vpcTagQueryEmpty'),
};

export function toWireError(e: DomainError, overrides?: ErrorOverrides): WireError {
  const spec: WireErrorSpec = overrides?.[e.code] ?? ERROR_TABLE[e.code];
  return new WireError(spec.status, spec.code, spec.message(e.details));
}
