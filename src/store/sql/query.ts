// A tiny WHERE-clause builder and the shared paging logic (keyset or offset).
import type { Page, Paging } from '../store.ts';
import type { SqlDriver } from './driver.ts';
import { placeholders } from './driver.ts';

export class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }
  eq(column: string, value: unknown): this {
    return value === undefined ? this : this.add(`${column} = ?`, value);
  }
  in(column: string, values: unknown[] | undefined): this {
    if (values === undefined) return this;
    if (values.length === 0) return this.add('1 = 0');
    return this.add(`${column} IN (${placeholders(values.length)})`, ...values);
  }
  sql(): string {
    return this.parts.length ? ` WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/**
 * `column` matching a pattern whose `*` stands for any run of characters (the real API's
 * fuzzy InstanceName), every other character literal, case-sensitive on both databases:
 * SQLite's GLOB (its `?` and `[` bracketed), PostgreSQL's LIKE (`%`, `_`, `\` escaped).
 */
export function wildcardSql(d: SqlDriver, column: string, pattern: string): { sql: string; params: unknown[] } {
  if (d.dialect === 'sqlite') {
    const glob = pattern.replace(/[?[]/g, (c) => `[${c}]`);
    return { sql: `${column} GLOB ?`, params: [glob] };
  }
  const like = pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
  return { sql: `${column} LIKE ? ESCAPE '\\'`, params: [like] };
}

/**
 * Runs a paged SELECT of `table` rows filtered by `where`, ordered by id.
 * count: where the caller knows the total without counting rows (a counter).
 */
export async function pagedSelect<R extends { id: string }, T>(
  d: SqlDriver,
  table: string,
  where: Where,
  p: Paging,
  map: (rows: R[]) => Promise<T[]> | T[],
  count?: () => Promise<number>,
): Promise<Page<T>> {
  const totalCount = count
    ? await count()
    : Number((await d.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}${where.sql()}`, where.params))?.n ?? 0);
  const w = new Where();
  w.parts.push(...where.parts);
  w.params.push(...where.params);
  // A page of none (ServiceManaged=true, which eniplane never has) is the count alone: no row, no next token.
  if (p.limit <= 0) return { items: await map([]), totalCount, nextToken: '' };
  if (p.after) w.add('id > ?', p.after);
  const offset = p.after ? 0 : (p.offset ?? 0);
  const rows = await d.all<R>(`SELECT * FROM ${table}${w.sql()} ORDER BY id LIMIT ? OFFSET ?`, [...w.params, p.limit + 1, offset]);
  const more = rows.length > p.limit;
  const pageRows = more ? rows.slice(0, p.limit) : rows;
  const items = await map(pageRows);
  return { items, totalCount, nextToken: more ? pageRows[pageRows.length - 1].id : '' };
}
