// Fixed-window request counts shared by every server on one database.
import type { Tx } from '../store.ts';
import type { SqlDriver } from './driver.ts';

export function throttleRepo(d: SqlDriver): Pick<Tx, 'throttle'> {
  return {
    throttle: {
      async lease(key, windowStartMs, n) {
        // One statement, atomic on both databases: a racing server's lease is counted, never lost.
        const r = await d.get<{ used: number | string }>(
          'INSERT INTO throttle_windows (key, window_start, used) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET ' +
            'used = CASE WHEN throttle_windows.window_start = excluded.window_start THEN throttle_windows.used + excluded.used ' +
            'WHEN throttle_windows.window_start > excluded.window_start THEN throttle_windows.used ELSE excluded.used END, ' +
            'window_start = CASE WHEN throttle_windows.window_start > excluded.window_start THEN throttle_windows.window_start ELSE excluded.window_start END ' +
            'RETURNING used',
          [key, windowStartMs, n],
        );
        return Number(r?.used ?? n);
      },
    },
  };
}
