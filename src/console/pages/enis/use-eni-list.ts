// The ENI table's data: one page of DescribeNetworkInterfaces for the current
// region, resource group, filters and token; polls fast while an ENI on the
// page is changing state, slowly otherwise.
import { useState } from 'react';
import { describeEnis, type EniQuery } from '../../api/ecs.ts';
import type { EniPage } from '../../api/wire.ts';
import { useAsync } from '../../hooks/use-async.ts';
import { useScope } from '../../state/scope.tsx';
import { TRANSITIONAL } from '../../components/status-tag.tsx';

const FAST_POLL_MS = 400;
const SLOW_POLL_MS = 15_000;

export function useEniList(query: EniQuery) {
  const scope = useScope();
  const [pageSize, setPageSize] = useState(20);
  const key = JSON.stringify([scope.regionId, scope.resourceGroupId, query, pageSize]);
  // The token stack belongs to one set of filters: any change starts again at page 1.
  const [paging, setPaging] = useState<{ key: string; tokens: (string | undefined)[] }>({ key, tokens: [undefined] });
  const tokens = paging.key === key ? paging.tokens : [undefined];
  const setTokens = (f: (t: (string | undefined)[]) => (string | undefined)[]) => setPaging({ key, tokens: f(tokens) });
  const token = tokens[tokens.length - 1];
  const list = useAsync<EniPage>(() => describeEnis(scope, query, { nextToken: token, maxResults: pageSize }), [key, token], {
    pollMs: (d) => (d.NetworkInterfaceSets.NetworkInterfaceSet.some((e) => TRANSITIONAL.has(e.Status)) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
  return {
    ...list,
    page: tokens.length,
    pageSize,
    setPageSize,
    next: () => {
      if (list.data?.NextToken) setTokens((t) => [...t, list.data!.NextToken]);
    },
    prev: () => setTokens((t) => (t.length > 1 ? t.slice(0, -1) : t)),
  };
}
