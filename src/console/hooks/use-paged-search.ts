// A picker's options from a paged, searchable list, without reading every page:
// the first page when opened, the next page when the list is scrolled to its end
// (loadMore), and a fresh first page of a server-side search when the text
// changes (debounced). Each request is one page, so a picker costs what the user
// looks at, whatever the account holds.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ListPage } from '../api/ecs.ts';

export interface PagedSearch<T> {
  items: T[];
  total: number;
  loading: boolean;
  error: unknown;
  /** the text as typed (what the search box shows) */
  text: string;
  setText(text: string): void;
  /** loads the next page, if the search has more */
  loadMore(): void;
  hasMore: boolean;
}

const SEARCH_DEBOUNCE_MS = 300;

export function usePagedSearch<T>(
  fetchPage: (text: string, pageNumber: number) => Promise<ListPage<T>>,
  deps: readonly unknown[],
  opts: { enabled?: boolean; searchOnly?: boolean } = {},
): PagedSearch<T> {
  const enabled = opts.enabled !== false;
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [state, setState] = useState<{ items: T[]; total: number; pages: number }>({ items: [], total: 0, pages: 0 });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  // The search runs once typing pauses; clearing the text applies at once.
  useEffect(() => {
    const t = text.trim();
    if (t === query) return undefined;
    const timer = setTimeout(() => setQuery(t), t === '' ? 0 : SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, query]);

  const load = useCallback(async (q: string, pageNumber: number, mine: number) => {
    setLoading(true);
    try {
      const page = await fetchRef.current(q, pageNumber);
      if (mine !== seq.current) return;
      setState((s) => ({
        items: pageNumber === 1 ? page.items : [...s.items, ...page.items],
        total: page.total,
        pages: pageNumber,
      }));
      setError(undefined);
    } catch (e) {
      if (mine === seq.current) setError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  const idle = !enabled || (opts.searchOnly === true && query === '');
  useEffect(() => {
    const mine = ++seq.current;
    if (idle) {
      setState({ items: [], total: 0, pages: 0 });
      setLoading(false);
      return undefined;
    }
    void load(query, 1, mine);
    return () => {
      seq.current++;
    };
  }, [...deps, query, idle]);

  const hasMore = !idle && state.pages > 0 && state.items.length < state.total;
  const loadMore = () => {
    if (loading || !hasMore) return;
    void load(query, state.pages + 1, seq.current);
  };
  return { items: state.items, total: state.total, loading, error, text, setText, loadMore, hasMore };
}

/** An antd Select's onPopupScroll: the next page when the list is scrolled near its end. */
export function loadMoreOnScroll(search: Pick<PagedSearch<unknown>, 'loadMore'>) {
  return (e: React.UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 40) search.loadMore();
  };
}
