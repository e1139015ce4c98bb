// Instances.
import type { Instance } from '../../domain/model.ts';
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate, forUpdateSkipLocked, placeholders } from './driver.ts';
import { pagedSelect, Where, wildcardSql } from './query.ts';
import { toInstance, type InstanceRow } from './rows.ts';
import { whereTaggedPlanned } from './tag-repo.ts';

const COLUMNS =
  'id, account_id, region_id, zone_id, vpc_id, vswitch_id, resource_group_id, name, instance_type, image_id, status, transition_due_ms, created_at';
/** What ModifyInstanceAttribute and friends change, besides name and status. */
const ATTRIBUTES = [
  'description',
  'host_name',
  'system_disk_category',
  'system_disk_size',
  'system_disk_name',
  'system_disk_description',
  'system_disk_performance_level',
  'instance_charge_type',
  'internet_charge_type',
  'internet_max_bandwidth_out',
  'internet_max_bandwidth_in',
  'spot_strategy',
  'spot_price_limit',
  'period',
  'period_unit',
  'auto_renew',
  'auto_renew_period',
  'key_pair_name',
  'ram_role_name',
  'deletion_protection',
  'credit_specification',
  'user_data',
];

function attributeValues(i: Instance): unknown[] {
  const d = i.systemDisk;
  const b = i.billing;
  return [
    i.description,
    i.hostName,
    d.category,
    d.sizeGiB,
    d.name,
    d.description,
    d.performanceLevel,
    b.instanceChargeType,
    b.internetChargeType,
    b.internetMaxBandwidthOut,
    b.internetMaxBandwidthIn,
    b.spotStrategy,
    b.spotPriceLimit,
    b.period,
    b.periodUnit,
    b.autoRenew ? 1 : 0,
    b.autoRenewPeriod,
    i.keyPairName,
    i.ramRoleName,
    i.deletionProtection ? 1 : 0,
    i.creditSpecification,
    i.userData,
  ];
}

function values(i: Instance): unknown[] {
  return [
    i.id,
    i.accountId,
    i.regionId,
    i.zoneId,
    i.vpcId,
    i.vSwitchId,
    i.resourceGroupId,
    i.name,
    i.instanceType,
    i.imageId,
    i.status,
    i.transitionDueMs,
    i.createdAt,
    ...attributeValues(i),
  ];
}

export function instanceRepo(d: SqlDriver): Pick<Tx, 'instances'> {
  return {
    instances: {
      async insert(i) {
        await d.run(
          `INSERT INTO instances (${COLUMNS}, ${ATTRIBUTES.join(', ')}) VALUES (${placeholders(13 + ATTRIBUTES.length)})`,
          values(i),
        );
      },
      async get(accountId, id, opts) {
        const r = await d.get<InstanceRow>(
          `SELECT * FROM instances WHERE account_id = ? AND id = ?${opts?.forUpdate ? forUpdate(d) : ''}`,
          [accountId, id],
        );
        return r && toInstance(r);
      },
      async list(accountId, f, p) {
        const w = new Where()
          .eq('account_id', accountId)
          .eq('region_id', f.regionId)
          .in('id', f.ids)
          .eq('vpc_id', f.vpcId)
          .eq('vswitch_id', f.vSwitchId)
          .eq('zone_id', f.zoneId)
          .eq('status', f.status)
          .eq('name', f.name)
          .eq('resource_group_id', f.resourceGroupId)
          .eq('image_id', f.imageId)
          .eq('instance_type', f.instanceType)
          .eq('instance_charge_type', f.instanceChargeType)
          .eq('key_pair_name', f.keyPairName)
          .eq('system_disk_category', f.systemDiskCategory)
          .eq('system_disk_name', f.systemDiskName)
          .eq('ram_role_name', f.ramRoleName)
          .eq('auto_renew', f.autoRenew === undefined ? undefined : f.autoRenew ? 1 : 0);
        if (f.namePattern !== undefined) {
          const m = wildcardSql(d, 'name', f.namePattern);
          w.add(m.sql, ...m.params);
        }
        if (f.hasRamRole) w.add("ram_role_name <> ''");
        if (f.matchNothing) w.add('1 = 0');
        if (f.privateIpAddresses) {
          w.add(
            `id IN (SELECT e.instance_id FROM enis e JOIN private_ips p ON p.eni_id = e.id WHERE e.type = 'Primary' AND p.address IN (${f.privateIpAddresses.map(() => '?').join(',') || 'NULL'}))`,
            ...f.privateIpAddresses,
          );
        }
        await whereTaggedPlanned(d, 'instances', w, { accountId, regionId: f.regionId, resourceType: 'instance' }, f.tags);
        return pagedSelect<InstanceRow, Instance>(d, 'instances', w, p, (rows) => rows.map(toInstance));
      },
      async update(i) {
        await d.run(
          `UPDATE instances SET name = ?, status = ?, transition_due_ms = ?, resource_group_id = ?, ${ATTRIBUTES.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
          [i.name, i.status, i.transitionDueMs, i.resourceGroupId, ...attributeValues(i), i.id],
        );
      },
      async delete(id) {
        await d.run('DELETE FROM tags WHERE resource_id = ?', [id]);
        await d.run('DELETE FROM instances WHERE id = ?', [id]);
      },
      async due(nowMs, limit) {
        return (
          await d.all<InstanceRow>(
            `SELECT * FROM instances WHERE transition_due_ms IS NOT NULL AND transition_due_ms <= ? ORDER BY transition_due_ms LIMIT ?${forUpdateSkipLocked(d)}`,
            [nowMs, limit],
          )
        ).map(toInstance);
      },
      async nextDueMs() {
        const r = await d.get<{ m: number | string | null }>(
          'SELECT MIN(transition_due_ms) AS m FROM instances WHERE transition_due_ms IS NOT NULL',
        );
        return r?.m == null ? null : Number(r.m);
      },
    },
  };
}
