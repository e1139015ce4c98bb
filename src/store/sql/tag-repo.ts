// Tags of every resource type in one table (migrations 007 SQLite / 006 PostgreSQL).
import type { FuzzyTagFilter, Tag, TagResourceType, TextMatch } from '../../domain/tags.ts';
import type { TagFilter, TagScope, Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { forUpdate, placeholders } from './driver.ts';
import { Where } from './query.ts';

interface TagRow {
  resource_id: string;
  resource_type: string;
  key: string;
  value: string;
}

/**
 * Restricts `where` (over a table whose rows have an `id`) to resources carrying
 * every filter tag: a key alone matches any value. Each is one range of the
 * tags_by_key index.
 */
export function whereTagged(w: Where, scope: TagScope, tags: TagFilter[] | undefined, idColumn = 'id'): Where {
  for (const t of tags ?? []) {
    const sub = 'SELECT resource_id FROM tags WHERE account_id = ? AND region_id = ? AND resource_type = ? AND key = ?';
    if (t.value === undefined) w.add(`${idColumn} IN (${sub})`, scope.accountId, scope.regionId, scope.resourceType, t.key);
    else w.add(`${idColumn} IN (${sub} AND value = ?)`, scope.accountId, scope.regionId, scope.resourceType, t.key, t.value);
  }
  return w;
}

/**
 * SQL for a TagFilter pattern on `column`, case-sensitive on both databases (SQLite's LIKE is not):
 * a prefix compares the leading characters, an infix looks the text up.
 */
function textMatchSql(d: SqlDriver, column: string, m: TextMatch): { sql: string; params: unknown[] } {
  if (m.kind === 'exact') return { sql: `${column} = ?`, params: [m.text] };
  if (d.dialect === 'sqlite') {
    return m.kind === 'prefix'
      ? { sql: `substr(${column}, 1, ?) = ?`, params: [[...m.text].length, m.text] }
      : { sql: `instr(${column}, ?) > 0`, params: [m.text] };
  }
  return m.kind === 'prefix'
    ? { sql: `starts_with(${column}, ?)`, params: [m.text] }
    : { sql: `strpos(${column}, ?) > 0`, params: [m.text] };
}

/** One fuzzy filter over a tag row (`key`, `value`): its key pattern, and any of its value patterns. */
function fuzzySql(d: SqlDriver, f: FuzzyTagFilter): { sql: string; params: unknown[] } {
  const k = textMatchSql(d, 'key', f.key);
  if (!f.values?.length) return k;
  const vs = f.values.map((v) => textMatchSql(d, 'value', v));
  return { sql: `${k.sql} AND (${vs.map((v) => v.sql).join(' OR ')})`, params: [...k.params, ...vs.flatMap((v) => v.params)] };
}

const countOf = (r: { n: number | string } | undefined) => Number(r?.n ?? 0);

/**
 * How many of the scope's resources carry the tag, from tag_counts (migration
 * 021, kept by triggers on tags): at most 16 rows for key = value whatever
 * the matches (a key alone: those of each of its values). A resource has a key
 * once, and its tags go when it goes, so with no other filter this is a
 * Describe call's TotalCount.
 */
export async function taggedCount(d: SqlDriver, scope: TagScope, t: TagFilter): Promise<number> {
  const valued = t.value !== undefined;
  const r = await d.get<{ n: number | string | null }>(
    `SELECT SUM(n) AS n FROM tag_counts WHERE account_id = ? AND region_id = ? AND resource_type = ? AND key = ?${valued ? ' AND value = ?' : ''}`,
    [scope.accountId, scope.regionId, scope.resourceType, t.key, ...(valued ? [t.value] : [])],
  );
  return Number(r?.n ?? 0);
}

/**
 * A Describe call's tag filters on `table`'s list, each planned by how many
 * resources carry it (tag_counts). SQLite's planner does not weigh that:
 * `id IN (tags range)` looks every match up in the table, so a tag most
 * resources carry cost its TotalCount 3 µs a row (a page of 10,000 tagged ENIs
 * 3.6× an unfiltered one, two such tags 5.5×, bench/paging). There the rarest
 * tag drives the IN and the others are EXISTS probes of each candidate's
 * (resource, key); when even the rarest matches over a quarter of the
 * account's rows, all are probes while walking the rows in id order.
 * PostgreSQL (only where the caller has the scope counted: ENIs) runs the
 * page's statement prepared, and its generic plan, made for an average
 * account, joined every match of a tag the big account's 50,000 ENIs all
 * carry and sorted them (50 ms for 5,000, bench/scale): the same plan here,
 * each probe kept a per-row look-up (`OFFSET 0`: not turned into a join).
 */
export async function whereTaggedPlanned(
  d: SqlDriver,
  table: string,
  w: Where,
  scope: TagScope,
  tags: TagFilter[] | undefined,
  /** the scope's rows, where the caller has them counted (ENIs: eni_counts) */
  scopeCount?: () => Promise<number>,
  /** each tag's count, filled in here (and read, when the caller counted first) */
  tagCounts = new Map<TagFilter, number>(),
): Promise<Where> {
  if (!tags?.length) return w;
  if (d.dialect !== 'sqlite' && !scopeCount) return whereTagged(w, scope, tags);
  const counted: { t: TagFilter; n: number }[] = [];
  for (const t of tags) {
    const n = tagCounts.get(t) ?? (await taggedCount(d, scope, t));
    tagCounts.set(t, n);
    counted.push({ t, n });
  }
  counted.sort((a, b) => a.n - b.n);
  const rows = scopeCount
    ? await scopeCount()
    : countOf(
        await d.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE account_id = ? AND region_id = ?`, [
          scope.accountId,
          scope.regionId,
        ]),
      );
  const probes = counted[0].n * 4 > rows ? counted : counted.slice(1);
  if (probes.length < counted.length) whereTagged(w, scope, [counted[0].t]);
  const perRow = d.dialect === 'postgres' ? ' OFFSET 0' : '';
  for (const { t } of probes) {
    if (t.value === undefined) w.add(`EXISTS (SELECT 1 FROM tags t WHERE t.resource_id = ${table}.id AND t.key = ?${perRow})`, t.key);
    else w.add(`EXISTS (SELECT 1 FROM tags t WHERE t.resource_id = ${table}.id AND t.key = ? AND t.value = ?${perRow})`, t.key, t.value);
  }
  return w;
}

const TABLE_OF: Record<TagResourceType, string> = {
  instance: 'instances',
  eni: 'enis',
  securitygroup: 'security_groups',
  vpc: 'vpcs',
  vswitch: 'vswitches',
};

export function tagRepo(d: SqlDriver): Pick<Tx, 'tags'> {
  return {
    tags: {
      async owners(scope, resourceIds) {
        // One row at a time in id order, locked on PostgreSQL: racing taggers of one
        // resource count its tags one after the other (the 20-tag limit holds).
        const found: string[] = [];
        for (const id of [...new Set(resourceIds)].sort()) {
          const r = await d.get<{ id: string }>(
            `SELECT id FROM ${TABLE_OF[scope.resourceType]} WHERE id = ? AND account_id = ? AND region_id = ?${forUpdate(d)}`,
            [id, scope.accountId, scope.regionId],
          );
          if (r) found.push(r.id);
        }
        return found;
      },
      async of(resourceIds) {
        const out = new Map<string, Tag[]>(resourceIds.map((id) => [id, []]));
        if (resourceIds.length === 0) return out;
        const rows = await d.all<TagRow>(
          `SELECT resource_id, key, value FROM tags WHERE resource_id IN (${placeholders(resourceIds.length)}) ORDER BY resource_id, key`,
          resourceIds,
        );
        for (const r of rows) out.get(r.resource_id)?.push({ key: r.key, value: r.value });
        return out;
      },
      async put(owner, tags) {
        for (const t of tags) {
          await d.run(
            'INSERT INTO tags (resource_id, key, value, resource_type, account_id, region_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (resource_id, key) DO UPDATE SET value = excluded.value',
            [owner.resourceId, t.key, t.value, owner.resourceType, owner.accountId, owner.regionId],
          );
        }
      },
      async remove(resourceId, keys) {
        if (keys === undefined) {
          await d.run('DELETE FROM tags WHERE resource_id = ?', [resourceId]);
        } else if (keys.length > 0) {
          await d.run(`DELETE FROM tags WHERE resource_id = ? AND key IN (${placeholders(keys.length)})`, [resourceId, ...keys]);
        }
      },
      count: (scope, tag) => taggedCount(d, scope, tag),
      async list(scope, q, p) {
        const w = new Where()
          .eq('account_id', scope.accountId)
          .eq('region_id', scope.regionId)
          .eq('resource_type', scope.resourceType)
          .in('resource_id', q.resourceIds);
        whereTagged(w, scope, q.tags, 'resource_id');
        // Asked by tag, the answer lists the tags asked about (one row per resource and key).
        if (q.tags?.length) w.in('key', [...new Set(q.tags.map((t) => t.key))]);
        // Fuzzy filters: a resource matches each (keys AND, a key's values OR); the rows listed are those some filter matched.
        if (q.fuzzy?.length) {
          const each = q.fuzzy.map((f) => fuzzySql(d, f));
          for (const f of each) {
            w.add(
              `resource_id IN (SELECT resource_id FROM tags WHERE account_id = ? AND region_id = ? AND resource_type = ? AND ${f.sql})`,
              scope.accountId,
              scope.regionId,
              scope.resourceType,
              ...f.params,
            );
          }
          w.add(`(${each.map((f) => `(${f.sql})`).join(' OR ')})`, ...each.flatMap((f) => f.params));
        }
        if (p.after) w.add('(resource_id > ? OR (resource_id = ? AND key > ?))', p.after.resourceId, p.after.resourceId, p.after.key);
        const rows = await d.all<TagRow>(
          `SELECT resource_id, resource_type, key, value FROM tags${w.sql()} ORDER BY resource_id, key LIMIT ?`,
          [...w.params, p.limit + 1],
        );
        const more = rows.length > p.limit;
        const page = more ? rows.slice(0, p.limit) : rows;
        const last = page[page.length - 1];
        return {
          items: page.map((r) => ({ resourceId: r.resource_id, key: r.key, value: r.value })),
          next: more && last ? { resourceId: last.resource_id, key: last.key } : undefined,
        };
      },
    },
  };
}
