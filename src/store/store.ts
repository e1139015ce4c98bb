// The one storage port. Repositories speak domain objects and throw only
// domain errors; each adapter (sqlite/, postgres/) turns its own
// unique-violation codes into domain errors. Every use case runs inside
// store.transaction(...): all of it commits, or none of it.
import type { FuzzyTagFilter, Tag, TagResourceType } from '../domain/tags.ts';
import type {
  AccountId,
  Eni,
  EniStatus,
  EniType,
  Instance,
  InstanceStatus,
  IpFamily,
  PrivateAddress,
  ResourceGroup,
  SecurityGroup,
  Vpc,
  VSwitch,
} from '../domain/model.ts';

export interface Account {
  id: AccountId;
  name: string;
  createdAt: string;
}
export interface AccessKey {
  id: string;
  secret: string;
  accountId: AccountId;
  status: 'Active' | 'Inactive';
  createdAt: string;
}

export interface AuditEvent {
  atMs: number;
  accountId: AccountId;
  accessKeyId: string;
  sourceIp: string;
  action: string;
  /** ids and addresses the call named or made */
  resources: string[];
  requestId: string;
  /** 'Success' or the error Code */
  result: string;
  /** the row's id (set when read back): with atMs, the key of keyset paging */
  id?: number;
}
export interface AuditFilter {
  accountId?: AccountId;
  action?: string;
  /** events whose resources include this id or address */
  resourceId?: string;
  /** 'Success', 'Failed' (any error Code) or one error Code */
  result?: string;
  sinceMs?: number;
  untilMs?: number;
  /** only events older than this one (newest first: the next page after it) */
  before?: { atMs: number; id: number };
  limit: number;
}

export interface Page<T> {
  items: T[];
  totalCount: number;
  nextToken: string;
}
export interface Paging {
  /** keyset paging: the id to continue after ('' for the first page) */
  after?: string;
  /** offset paging (PageNumber/PageSize) */
  offset?: number;
  limit: number;
}

/** A tag a Describe call filters by: a key alone matches any value. */
export interface TagFilter {
  key: string;
  value?: string;
}
/** Where a tag belongs: its resource, of one type, in one account and region. */
export interface TagScope {
  accountId: AccountId;
  regionId: string;
  resourceType: TagResourceType;
}
interface TagOwner extends TagScope {
  resourceId: string;
}
export interface TagPosition {
  resourceId: string;
  key: string;
}

export interface EniFilter {
  regionId: string;
  ids?: string[];
  instanceId?: string;
  vpcId?: string;
  vSwitchId?: string;
  securityGroupId?: string;
  primaryIpAddress?: string;
  privateIpAddresses?: string[];
  ipv6Addresses?: string[];
  name?: string;
  type?: EniType;
  status?: EniStatus;
  resourceGroupId?: string;
  tags?: TagFilter[];
}

export interface InstanceFilter {
  regionId: string;
  ids?: string[];
  vpcId?: string;
  vSwitchId?: string;
  zoneId?: string;
  status?: InstanceStatus;
  name?: string;
  /** DescribeInstances' InstanceName with `*`: each `*` any run of characters, the rest exact (case-sensitive) */
  namePattern?: string;
  resourceGroupId?: string;
  privateIpAddresses?: string[];
  tags?: TagFilter[];
  imageId?: string;
  instanceType?: string;
  instanceChargeType?: string;
  keyPairName?: string;
  /** the system disk's (DescribeDisks) */
  systemDiskCategory?: string;
  systemDiskName?: string;
  /** DescribeInstanceRamRole: those with a RAM role (true), or with this one */
  hasRamRole?: boolean;
  ramRoleName?: string;
  /** DescribeInstanceAutoRenewAttribute's RenewalStatus: AutoRenewal (true) or Normal (false) */
  autoRenew?: boolean;
  /** a filter no instance here can match (a lock reason, a public address ...): the page is empty, TotalCount 0 */
  matchNothing?: boolean;
}

export interface NetworkFilter {
  regionId: string;
  ids?: string[];
  vpcId?: string;
  zoneId?: string;
  name?: string;
  resourceGroupId?: string;
  tags?: TagFilter[];
  /** vSwitches: with (true) or without (false) an IPv6 block */
  ipv6Enabled?: boolean;
  /** security groups: normal or enterprise */
  type?: string;
}

interface AddressRow {
  vSwitchId: string;
  eniId: string;
  family: IpFamily;
  address: string;
  primary: boolean;
  ipv4Num: number | null;
}

/** An IP prefix of an ENI: an aligned /28 (IPv4) or /80 (IPv6), canonical CIDR text. */
interface PrefixRow {
  vSwitchId: string;
  eniId: string;
  family: IpFamily;
  prefix: string;
  /** IPv4: the prefix's first address as uint32 (its 16 addresses follow); null for IPv6 */
  ipv4First: number | null;
}

interface StoredResult {
  paramsHash: string;
  result: string;
}

/** Where an ENI is, for the metadata service and the lab (any account). */
export interface EniPlacement {
  id: string;
  accountId: AccountId;
  vSwitchId: string;
  type: EniType;
  status: EniStatus;
  macAddress: string;
  instanceId: string | null;
  pendingInstanceId: string | null;
  deviceIndex: number | null;
  /** IPv4 first (primary first), then IPv6, each in assignment order */
  addresses: PrivateAddress[];
  /** the ENI's IP prefixes (CIDR text), in assignment order: the lab routes them to the ENI */
  ipv4Prefixes: string[];
  ipv6Prefixes: string[];
}

export interface Tx {
  readonly accounts: {
    insert(a: Account): Promise<void>;
    get(id: AccountId): Promise<Account | undefined>;
    list(): Promise<Account[]>;
    /**
     * Locks the account's row until the transaction ends (false when there is no
     * such account): what a per-account quota check (ENIs per region) holds so
     * racing creations on several server processes cannot both pass it.
     */
    lock(id: AccountId): Promise<boolean>;
  };
  readonly accessKeys: {
    insert(k: AccessKey): Promise<void>;
    get(id: string): Promise<AccessKey | undefined>;
    listByAccount(accountId: AccountId): Promise<AccessKey[]>;
    setStatus(id: string, status: AccessKey['status']): Promise<boolean>;
    /** re-seals every secret not under the current key (plain rows included), in the caller's transaction; how many */
    reseal(): Promise<number>;
  };
  readonly resourceGroups: {
    insert(g: ResourceGroup): Promise<void>;
    get(accountId: AccountId, id: string): Promise<ResourceGroup | undefined>;
    getDefault(accountId: AccountId): Promise<ResourceGroup | undefined>;
    list(accountId: AccountId): Promise<ResourceGroup[]>;
  };
  readonly vpcs: {
    insert(v: Vpc): Promise<void>;
    /** forUpdate: locks the VPC row (racing CreateVSwitch calls check CIDR overlap one at a time) */
    get(accountId: AccountId, id: string, opts?: { forUpdate?: boolean }): Promise<Vpc | undefined>;
    list(accountId: AccountId, f: NetworkFilter, p: Paging): Promise<Page<Vpc>>;
    delete(accountId: AccountId, id: string): Promise<void>;
    /** sets the name and description (ModifyVpcAttribute) */
    rename(accountId: AccountId, id: string, name: string, description: string): Promise<void>;
    dependents(accountId: AccountId, id: string): Promise<{ vSwitches: number; securityGroups: number }>;
  };
  readonly vSwitches: {
    insert(v: VSwitch): Promise<void>;
    get(accountId: AccountId, id: string): Promise<VSwitch | undefined>;
    list(accountId: AccountId, f: NetworkFilter, p: Paging): Promise<Page<VSwitch>>;
    listByVpc(vpcId: string): Promise<VSwitch[]>;
    delete(accountId: AccountId, id: string): Promise<void>;
    rename(accountId: AccountId, id: string, name: string, description: string): Promise<void>;
    /** counts of addresses held in the vSwitch, by family */
    addressCount(id: string, family: IpFamily): Promise<number>;
    enis(id: string): Promise<number>;
  };
  readonly securityGroups: {
    insert(g: SecurityGroup): Promise<void>;
    get(accountId: AccountId, id: string): Promise<SecurityGroup | undefined>;
    list(accountId: AccountId, f: NetworkFilter, p: Paging): Promise<Page<SecurityGroup>>;
    delete(accountId: AccountId, id: string): Promise<void>;
    rename(accountId: AccountId, id: string, name: string, description: string): Promise<void>;
    enis(id: string): Promise<number>;
    /**
     * Adds delta to each group's IP count and, for an increase, returns the
     * first group (in id order) it would take past its capacity, undefined when
     * all fit; the caller then aborts the transaction. Exact under concurrency:
     * SQLite's one writer; PostgreSQL's sharded counters with escrowed quotas
     * (postgres/migrations/007), which no request waits on unless the group is
     * nearly full.
     */
    adjustIpCount(
      ids: string[],
      delta: number,
      capacity: Record<SecurityGroup['type'], number>,
    ): Promise<Pick<SecurityGroup, 'id' | 'type'> | undefined>;
  };
  readonly instances: {
    insert(i: Instance): Promise<void>;
    get(accountId: AccountId, id: string, opts?: { forUpdate?: boolean }): Promise<Instance | undefined>;
    list(accountId: AccountId, f: InstanceFilter, p: Paging): Promise<Page<Instance>>;
    update(i: Instance): Promise<void>;
    delete(id: string): Promise<void>;
    /**
     * Instances whose transition is due at or before nowMs, locked for this
     * transaction; rows another transaction is settling are skipped, so each
     * transition is completed exactly once across processes.
     */
    due(nowMs: number, limit: number): Promise<Instance[]>;
    nextDueMs(): Promise<number | null>;
  };
  readonly enis: {
    insert(e: Eni): Promise<void>;
    get(accountId: AccountId, id: string, opts?: { forUpdate?: boolean }): Promise<Eni | undefined>;
    list(accountId: AccountId, f: EniFilter, p: Paging): Promise<Page<Eni>>;
    listByInstance(instanceId: string): Promise<Eni[]>;
    /** listByInstance for each of the ids at once (a page of DescribeInstances): an entry, maybe empty, for every id */
    listByInstances(instanceIds: string[]): Promise<Map<string, Eni[]>>;
    /** ENIs bound (InUse/Attaching/Detaching) to the instance, primary included */
    countOnInstance(instanceId: string): Promise<number>;
    countInRegion(accountId: AccountId, regionId: string): Promise<number>;
    /** MACs are unique across all accounts (the lab puts them on one bridge) */
    macTaken(mac: string): Promise<boolean>;
    /** saves the ENI's own columns (not addresses) and its security groups */
    update(e: Eni): Promise<void>;
    delete(id: string): Promise<void>;
    /** ENIs whose transition is due, locked and current (another transaction's are skipped), as instances.due */
    due(nowMs: number, limit: number): Promise<Eni[]>;
    nextDueMs(): Promise<number | null>;
  };
  /**
   * Tags of every taggable resource. ENIs write and read theirs through `enis`
   * (they come with the ENI); every repository's delete removes its resource's tags.
   */
  readonly tags: {
    /** those of the ids that are resources of the scope (type, account, region), locked until the transaction ends */
    owners(scope: TagScope, resourceIds: string[]): Promise<string[]>;
    /** each resource's tags sorted by key (an entry, maybe empty, for every id asked) */
    of(resourceIds: string[]): Promise<Map<string, Tag[]>>;
    /** adds the tags, an existing key taking the new value */
    put(owner: TagOwner, tags: Tag[]): Promise<void>;
    /** removes these keys, or every tag when keys is undefined */
    remove(resourceId: string, keys?: string[]): Promise<void>;
    /** how many of the scope's resources carry the tag (a key alone: any value), from its counters, not its matches */
    count(scope: TagScope, tag: TagFilter): Promise<number>;
    /**
     * Tags of the scope's resources in (resource id, key) order, after `after`:
     * those of `resourceIds` if given, of resources carrying every tag of `tags`
     * if given (then only the rows of the keys asked about), of resources matching
     * every fuzzy filter if given (then only the rows some filter matched).
     */
    list(
      scope: TagScope,
      q: { resourceIds?: string[]; tags?: TagFilter[]; fuzzy?: FuzzyTagFilter[] },
      p: { after?: TagPosition; limit: number },
    ): Promise<{ items: (Tag & { resourceId: string })[]; next?: TagPosition }>;
  };
  readonly addresses: {
    /** inserts, skipping any address already taken in the vSwitch; returns the ones inserted */
    insert(rows: AddressRow[]): Promise<string[]>;
    delete(eniId: string, addresses: string[]): Promise<number>;
    deleteAllOf(eniId: string): Promise<number>;
    ipv4NumsInVSwitch(vSwitchId: string): Promise<number[]>;
    /** the vSwitch's IPv6 addresses (for IPv6 prefix picks; few vSwitches hold many) */
    ipv6InVSwitch(vSwitchId: string): Promise<string[]>;
  };
  /**
   * IP prefixes. Correctness is the store's: a prefix is inserted only when no
   * other prefix and, for IPv4, no address row of the vSwitch lies inside it
   * (PostgreSQL: under the address locks of its 16 addresses), and an address
   * row is never inserted inside a prefix (skipped like a conflict). IPv6:
   * `insert` takes the /80's lock (PostgreSQL) but leaves the address check to
   * the caller, after the insert, while the lock is held (`ipv6InVSwitch`).
   */
  readonly prefixes: {
    /** inserts, skipping any prefix that overlaps what the vSwitch holds; returns the ones inserted */
    insert(rows: PrefixRow[]): Promise<string[]>;
    delete(eniId: string, prefixes: string[]): Promise<number>;
    deleteAllOf(eniId: string): Promise<number>;
    /** first addresses of the vSwitch's IPv4 prefixes */
    ipv4FirstsInVSwitch(vSwitchId: string): Promise<number[]>;
    /** the vSwitch's IPv6 prefixes */
    ipv6InVSwitch(vSwitchId: string): Promise<string[]>;
  };
  readonly idempotency: {
    get(accountId: AccountId, action: string, token: string): Promise<StoredResult | undefined>;
    /** false when the token is already stored (a racing twin won) */
    put(accountId: AccountId, action: string, token: string, value: StoredResult, createdMs: number): Promise<boolean>;
    /** deletes results created before `beforeMs`: all, or at most `limit` of them (bounded work per transaction) */
    purge(beforeMs: number, limit?: number): Promise<number>;
  };
  readonly nonces: {
    /** false when this nonce was already seen for the key */
    add(accessKeyId: string, nonce: string, expiresMs: number): Promise<boolean>;
    /**
     * Deletes nonces expired at `nowMs`: all of them, or those in one slice of
     * the key space (`index` of `of` equal parts) — bounded work per transaction
     * without an index on the expiry.
     */
    purge(nowMs: number, slice?: { index: number; of: number }): Promise<number>;
  };
  /** request quotas (service/throttle.ts): what the servers have leased of each fixed window */
  readonly throttle: {
    /**
     * Adds n to the key's count for the window starting at windowStartMs (a newer
     * window starts again from n) and returns the count after it.
     */
    lease(key: string, windowStartMs: number, n: number): Promise<number>;
  };
  /** State snapshots (service/state.ts). */
  readonly state: {
    /** every (account, region) holding a VPC, vSwitch, security group, instance or ENI, in that order */
    scopes(): Promise<{ accountId: AccountId; regionId: string }[]>;
  };
  /** The audit trail (service/audit.ts). */
  readonly audit: {
    insert(events: AuditEvent[]): Promise<void>;
    /** newest first; `accountId` undefined lists every account's (the operator's CLI) */
    list(f: AuditFilter): Promise<AuditEvent[]>;
    /** deletes events before `beforeMs`, at most `limit` (bounded work per transaction) */
    purge(beforeMs: number, limit: number): Promise<number>;
  };
  readonly kv: {
    /** The value unless it expired before `nowMs` (the caller's clock: deps.clock in the services). */
    get(key: string, nowMs: number): Promise<string | undefined>;
    put(key: string, value: string, expiresMs: number | null): Promise<void>;
    /**
     * Holds the key until the transaction ends, whether or not a row exists yet:
     * a read-modify-write of one key (the fault rule set) from several server
     * processes then happens one at a time (PostgreSQL: a transaction advisory
     * lock; SQLite's one writer already serializes).
     */
    lock(key: string): Promise<void>;
    delete(key: string): Promise<void>;
    purge(nowMs: number): Promise<number>;
  };
  /**
   * Cross-account reads for the instance metadata service and the lab: they
   * answer a guest (known by its address) or the host, not an API caller.
   */
  readonly metadata: {
    /** instances holding this private IPv4 on a bound (InUse) ENI, the ones where it is on the primary ENI first */
    instanceIdsByAddress(address: string): Promise<string[]>;
    instance(id: string): Promise<Instance | undefined>;
    vpc(id: string): Promise<Vpc | undefined>;
    vSwitch(id: string): Promise<VSwitch | undefined>;
    allInstances(): Promise<Instance[]>;
    allVSwitches(): Promise<VSwitch[]>;
    allEnis(): Promise<EniPlacement[]>;
  };
  /**
   * Bulk loading, for benchmarks that need a large world in minutes
   * (bench/scale): many rows a statement, none of the use cases' per-row work
   * (no address locks, no conflict handling, no security-group counters: the
   * caller adjusts those with securityGroups.adjustIpCount). Only into a store
   * no one else is writing.
   */
  readonly bulk: {
    /** the ENIs' own rows with their security groups and tags (their addresses go through `addresses`) */
    enis(enis: Eni[]): Promise<void>;
    addresses(rows: AddressRow[]): Promise<void>;
  };
  /** runs after a successful commit (used to keep in-memory hints in step) */
  onCommit(fn: () => void): void;
  /** runs after a rollback */
  onRollback(fn: () => void): void;
}

/**
 * The database gave up on a transaction because of a concurrent one
 * (PostgreSQL: serialization failure 40001, deadlock 40P01, a unique or
 * foreign-key violation 23505/23503 from a racing twin). Nothing of it was
 * committed; running the whole transaction again from the start is safe and
 * usually succeeds, because the re-run sees the twin's committed result.
 */
export class TransientConflict extends Error {
  constructor(
    message: string,
    readonly sqlState: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientConflict';
  }
}

/** A signed request's nonce, recorded by a one-call change in the same transaction. */
export interface CallNonce {
  accessKeyId: string;
  nonce: string;
  expiresMs: number;
}

/** What the one-call changes check an ENI against (the general path's rules, as numbers). */
export interface OneCallLimits {
  /** the cap of an ENI not bound to an instance (Available), for the family */
  availableCap: number;
  /** per instance type: [IPv4 cap, IPv6 cap] of an ENI bound to such an instance */
  typeCaps: Readonly<Record<string, readonly [number, number]>>;
  securityGroupCapacity: Record<SecurityGroup['type'], number>;
}

/** A request's ClientToken, checked and stored by a one-call change as the general path does (service/client-token.ts). */
export interface CallClientToken {
  action: string;
  token: string;
  /** sha256 of the request's parameters, as the general path hashes them */
  paramsHash: string;
  /** the stored result's creation time */
  nowMs: number;
}

/**
 * An assign or unassign as one call to the database (PostgreSQL: one
 * statement, its own transaction, no lock held across a round trip; see
 * postgres/migrations/007 and 018). It succeeds only where the general path
 * would succeed the same way; anything else ('general') leaves nothing
 * changed, and the service runs the general path, which gives the exact error.
 */
export interface OneCallAddresses {
  assign(c: {
    accountId: AccountId;
    regionId: string;
    eniId: string;
    family: IpFamily;
    count: number;
    /** the ENI's vSwitch as the caller knows it (the call checks it), where the candidates lie */
    vSwitchId: string;
    /** free addresses to try, in order (the free-space hint's picks); ipv4Nums in step (null for IPv6) */
    candidates: string[];
    ipv4Nums: (number | null)[] | null;
    /** the request named its addresses (the candidates, exactly): all go in or the general path answers */
    named?: boolean;
    limits: OneCallLimits;
    nonce?: CallNonce;
    clientToken?: CallClientToken;
  }): Promise<{ kind: 'done'; addresses: string[] } | { kind: 'general' } | { kind: 'candidates-taken' }>;
  /**
   * addresses: canonical and distinct; returns the ENI's vSwitch id when done, null when a ClientToken's
   * stored result was the answer (nothing changed)
   */
  unassign(c: {
    accountId: AccountId;
    regionId: string;
    eniId: string;
    family: IpFamily;
    addresses: string[];
    nonce?: CallNonce;
    clientToken?: CallClientToken;
  }): Promise<{ kind: 'done'; vSwitchId: string | null } | { kind: 'general' }>;
  /** batched stores: statements sent, the calls they carried, "busy" answers, and calls sent alone after them */
  readonly batchStats?: Readonly<{ batches: number; calls: number; busy: number; alone: number }>;
}

export interface TransactionOptions {
  readOnly?: boolean;
  /**
   * fn sends exactly one statement (a purge's DELETE, a single read): PostgreSQL runs it as its own
   * transaction without BEGIN and COMMIT, one round trip instead of three. A second statement is a bug
   * (it would not be atomic with the first): the call throws after it.
   */
  oneStatement?: boolean;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** present where an assign/unassign can be one call (PostgreSQL); SQLite's embedded path is already one local transaction */
  readonly oneCall?: OneCallAddresses;
  /**
   * When the next transition falls due (null: none), in one round trip outside any transaction
   * (PostgreSQL); without it the settler reads it in a read-only transaction.
   */
  nextDueMs?(): Promise<number | null>;
  /**
   * Tells onDue of every transition any process starts (PostgreSQL: LISTEN/NOTIFY), 'unknown' when
   * notifications may have been missed (the listening connection was lost and is back); returns a
   * function that stops listening. isListening says whether a notification would arrive now.
   */
  watchDue?(onDue: (dueMs: number | 'unknown') => void): { stop(): void; isListening(): boolean };
  /** statements sent to the database so far, BEGIN and COMMIT included (PostgreSQL; for benchmarks and /metrics) */
  readonly roundTrips?: number;
  /**
   * Runs fn in one transaction: all of it commits, or none of it. fn may be run
   * again from the start when the database aborts it for a concurrent one
   * (the PostgreSQL adapter retries a few times before throwing
   * TransientConflict), so fn must have no effects outside tx other than
   * through onCommit/onRollback hooks.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * A number that changes whenever a transaction commits to this database,
   * in this process or another (SQLite: `PRAGMA data_version` of a connection
   * that never writes). Cheap enough to read every few ms, so a follower in
   * another process (the metadata long-poll, the lab) wakes on a commit
   * instead of on its next poll. Absent where there is no such cheap signal
   * (PostgreSQL): followers re-read on their interval.
   */
  commitCounter?(): number;
  /** Applies pending numbered migrations (opening a store does it too, unless told not to). */
  migrate(): Promise<MigrationReport>;
  close(): Promise<void>;
}

export interface MigrationReport {
  /** the SQLite file, or "schema <name>" */
  target: string;
  applied: string[];
  /** versions recorded in the database that this build does not know (a newer build ran) */
  unknown: string[];
}
