// The ENI search box: what the operator typed, as DescribeNetworkInterfaces
// filters. The API's filters are exact, so the box recognizes the kind of
// value: an ENI id, an IPv4 or IPv6 address, a tag ("tag:key=value"), or else a name.
import { canonicalAddress } from './ip-rows.ts';

export type SearchFilter =
  | { kind: 'none' }
  | { kind: 'id'; ids: string[] }
  | { kind: 'ipv4'; address: string }
  | { kind: 'ipv6'; address: string }
  | { kind: 'name'; name: string }
  | { kind: 'tag'; key: string; value?: string };

export function parseSearch(text: string): SearchFilter {
  const t = text.trim();
  if (t === '') return { kind: 'none' };
  // "tag:key" (any value) or "tag:key=value"
  const tag = /^tag:\s*([^=]+?)\s*(?:=(.*))?$/i.exec(t);
  if (tag) return tag[2] === undefined ? { kind: 'tag', key: tag[1] } : { kind: 'tag', key: tag[1], value: tag[2].trim() };
  const tokens = t.split(/[\s,]+/).filter(Boolean);
  if (tokens.every((x) => /^eni-[a-z0-9]+$/i.test(x))) return { kind: 'id', ids: tokens.map((x) => x.toLowerCase()).slice(0, 100) };
  const v4 = canonicalAddress(4, t);
  if (v4) return { kind: 'ipv4', address: v4 };
  if (t.includes(':')) {
    const v6 = canonicalAddress(6, t);
    if (v6) return { kind: 'ipv6', address: v6 };
  }
  return { kind: 'name', name: t };
}

export function describeSearch(f: SearchFilter): string {
  switch (f.kind) {
    case 'none':
      return '';
    case 'id':
      return f.ids.length === 1 ? `ENI ID ${f.ids[0]}` : `${f.ids.length} ENI IDs`;
    case 'ipv4':
      return `private IPv4 ${f.address}`;
    case 'ipv6':
      return `IPv6 ${f.address}`;
    case 'name':
      return `name "${f.name}"`;
    case 'tag':
      return f.value === undefined ? `tag ${f.key}` : `tag ${f.key}=${f.value}`;
  }
}
