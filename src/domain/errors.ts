// Typed domain errors. Each carries a literal code and the facts behind it;
// src/api/errors.ts maps every code to the exact Alibaba Code, HTTP status and
// message (a missing mapping does not compile). Domain code names are ours,
// never Alibaba's wire names.

export type DomainErrorCode =
  // not found
  | 'EniNotFound'
  | 'InstanceNotFound'
  | 'VSwitchNotFound'
  | 'VpcNotFound'
  | 'SecurityGroupNotFound'
  | 'ResourceGroupNotFound'
  | 'RegionNotFound'
  | 'ZoneNotFound'
  | 'InstanceTypeNotFound'
  // state and type
  | 'EniStateInvalid'
  | 'InstanceStateInvalid'
  | 'PrimaryEniNotDetachable'
  | 'EniTypeInvalid'
  | 'ZoneMismatch'
  | 'VpcMismatch'
  // trunk mode
  | 'InstanceTypeNotSupportTrunking'
  | 'EniTypeNotSupportTrunking'
  | 'EniNotBelongTrunk'
  | 'TrunkEniStateInvalid'
  | 'HasMemberEniAttached'
  | 'MemberEniPerInstanceLimitExceeded'
  | 'TrunkEniPerInstanceLimitExceeded'
  // limits
  | 'EniPerInstanceLimitExceeded'
  | 'EniPerRegionLimitExceeded'
  | 'EniIpv4LimitExceeded'
  | 'InstanceTypeIpv4LimitExceeded'
  | 'EniIpv6LimitExceeded'
  | 'InstanceTypeIpv6LimitExceeded'
  | 'SecurityGroupIpCapacityExceeded'
  | 'SecurityGroupsPerEniExceeded'
  // addresses
  | 'VSwitchIpNotEnough'
  | 'VSwitchIpv6NotEnabled'
  | 'AddressInvalidForVSwitch'
  | 'AddressInUse'
  | 'AddressRepeated'
  | 'AddressMalformed'
  | 'AddressNotAssigned'
  // networks
  | 'CidrInvalid'
  | 'CidrOverlap'
  | 'Ipv6CidrInvalid'
  | 'VpcIpv6NotEnabled'
  | 'DependencyViolation'
  // tags (domain/tags.ts)
  | 'TagKeyInvalid'
  | 'TagValueInvalid'
  | 'TagKeyDuplicated'
  | 'TooManyTagsInRequest'
  | 'TooManyTagResourceIds'
  | 'TagQuotaExceeded'
  | 'TagResourceNotFound'
  | 'TagResourceTypeInvalid'
  | 'TagQueryEmpty'
  // requests
  | 'InvalidParameter'
  | 'ParameterConflict'
  | 'MissingParameter'
  | 'IdempotentParameterMismatch'
  | 'OperationConflict'
  // a signed request seen before (its nonce), recorded in the request's own transaction
  | 'RequestReplayed'
  // the database cannot be reached right now (PostgreSQL restarting, connection lost): nothing was done, retry
  | 'StoreUnavailable';

export type DomainErrorDetails = Readonly<Record<string, string | number | boolean | undefined>>;

export class DomainError<C extends DomainErrorCode = DomainErrorCode> extends Error {
  readonly code: C;
  readonly details: DomainErrorDetails;
  constructor(code: C, details: DomainErrorDetails = {}, message?: string) {
    super(message ?? `${code} ${JSON.stringify(details)}`);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

export function invalidParameter(name: string, reason?: string): DomainError<'InvalidParameter'> {
  return new DomainError('InvalidParameter', { name, reason });
}
