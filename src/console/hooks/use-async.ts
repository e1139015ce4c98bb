// Loading data: keeps the last good value while reloading (no flicker), and
// polls while `pollMs(data)` says so (transitions such as Attaching/Detaching).
import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** when the fetch that produced `data` started (performance.now() ms; 0 before any) */
  dataAt: number;
  reload: () => Promise<void>;
}

export function useAsync<T>(
  fn: () => Promise<T>,
  deps: readonly unknown[],
  opts: { pollMs?: (data: T) => number | undefined; enabled?: boolean } = {},
): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [dataAt, setDataAt] = useState(0);
  const seq = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const pollRef = useRef(opts.pollMs);
  pollRef.current = opts.pollMs;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const enabled = opts.enabled !== false;

  const run = useCallback(async () => {
    const mine = ++seq.current;
    clearTimeout(timer.current);
    setLoading(true);
    const startedAt = performance.now();
    try {
      const value = await fnRef.current();
      if (mine !== seq.current) return;
      setData(value);
      setDataAt(startedAt);
      setError(undefined);
      const next = pollRef.current?.(value);
      if (next !== undefined)
        timer.current = setTimeout(() => {
          void run();
        }, next);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!enabled) return undefined;
    void run();
    return () => {
      seq.current++;
      clearTimeout(timer.current);
    };
  }, [...deps, enabled]);

  return { data, error, loading, dataAt, reload: run };
}
