// Per-vSwitch free-space bitmaps kept in memory to make automatic IPv4
// allocation fast. Only a hint: the database's UNIQUE(vswitch_id, address)
// decides. Built from the store on first use, rebuilt on any sign it is stale
// (an insert conflict, or "full" when another process may have freed addresses).
import type { Tx } from '../store/store.ts';
import type { VSwitch } from '../domain/model.ts';
import { Ipv4FreeSpace, parseIpv4Cidr } from '../ipam/index.ts';

/** What allocation needs to know of a vSwitch: fixed for its whole life. */
export type VSwitchCidrs = Pick<VSwitch, 'id' | 'cidrBlock' | 'ipv6CidrBlock'>;

export class AddressHints {
  private readonly spaces = new Map<string, Ipv4FreeSpace>();
  private readonly cidrs = new Map<string, VSwitchCidrs>();
  /** ENI → its vSwitch (fixed for the ENI's life; ids are never reused), learned on the general path */
  private readonly eniVSwitch = new Map<string, string>();

  /**
   * The CIDRs of the vSwitch an existing ENI is on, read once per process: they
   * never change, vSwitch ids are never reused, and the ENI's row (a foreign key)
   * proves the vSwitch still exists and is the ENI owner's. Spares every
   * assignment a read.
   */
  async cidrsOf(tx: Tx, accountId: string, vSwitchId: string): Promise<VSwitchCidrs | undefined> {
    const known = this.cidrs.get(vSwitchId);
    if (known) return known;
    const v = await tx.vSwitches.get(accountId, vSwitchId);
    if (!v) return undefined;
    if (this.cidrs.size > 100_000) this.cidrs.clear();
    const c = { id: v.id, cidrBlock: v.cidrBlock, ipv6CidrBlock: v.ipv6CidrBlock };
    this.cidrs.set(vSwitchId, c);
    return c;
  }

  async space(tx: Tx, vsw: Pick<VSwitch, 'id' | 'cidrBlock'>): Promise<Ipv4FreeSpace> {
    const known = this.spaces.get(vsw.id);
    if (known) return known;
    return this.refresh(tx, vsw);
  }

  async refresh(tx: Tx, vsw: Pick<VSwitch, 'id' | 'cidrBlock'>): Promise<Ipv4FreeSpace> {
    const taken = await tx.addresses.ipv4NumsInVSwitch(vsw.id);
    // An IPv4 prefix's 16 addresses are taken too: no address is picked inside one.
    for (const first of await tx.prefixes.ipv4FirstsInVSwitch(vsw.id)) for (let i = 0; i < 16; i++) taken.push(first + i);
    const space = new Ipv4FreeSpace(parseIpv4Cidr(vsw.cidrBlock), taken);
    this.spaces.set(vsw.id, space);
    return space;
  }

  /** Remembers an ENI's vSwitch, so its next assign can pick addresses before any read (the one-call path). */
  rememberEni(eniId: string, vSwitchId: string): void {
    if (this.eniVSwitch.size > 100_000) this.eniVSwitch.clear();
    this.eniVSwitch.set(eniId, vSwitchId);
  }

  /**
   * An ENI whose vSwitch and free space this process already knows, or
   * undefined. Only a hint: the one-call path checks the ENI's vSwitch and
   * ownership in the database.
   */
  knownEni(eniId: string): { vSwitch: VSwitchCidrs; space: Ipv4FreeSpace } | undefined {
    const v = this.eniVSwitch.get(eniId);
    const vSwitch = v === undefined ? undefined : this.cidrs.get(v);
    const space = v === undefined ? undefined : this.spaces.get(v);
    return vSwitch && space ? { vSwitch, space } : undefined;
  }

  /** Marks addresses free that a committed change released. */
  releasedNow(vSwitchId: string, ipv4Nums: number[]): void {
    const s = this.spaces.get(vSwitchId);
    if (s) for (const n of ipv4Nums) s.release(n);
  }

  forget(vSwitchId: string): void {
    this.spaces.delete(vSwitchId);
    this.cidrs.delete(vSwitchId);
  }

  /** Marks addresses free once the transaction that released them commits. */
  released(tx: Tx, vSwitchId: string, ipv4Nums: number[]): void {
    if (ipv4Nums.length === 0) return;
    tx.onCommit(() => {
      const s = this.spaces.get(vSwitchId);
      if (s) for (const n of ipv4Nums) s.release(n);
    });
  }
}
