// Transitions announce themselves (migration 018: a trigger notifies channel
// eniplane_due with "schema due_ms" when a row gets a due time). One dedicated
// connection per process LISTENs; while it does, the settler needs no poll to
// learn of a transition another process started. Lost (PostgreSQL restarting),
// it reconnects with a back-off and reports 'unknown' once it is back, since
// notifications sent meanwhile are gone; until then isListening() is false and
// the settler polls as before.
import pg from 'pg';

const CHANNEL = 'eniplane_due';
const RECONNECT_MS = [100, 250, 500, 1000, 2000];

export function watchDue(config: pg.ClientConfig, onDue: (dueMs: number | 'unknown') => void): { stop(): void; isListening(): boolean } {
  let stopped = false;
  let listening = false;
  let client: pg.Client | undefined;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    listening = false;
    const c = client;
    client = undefined;
    c?.end().catch(() => undefined);
    if (stopped) return;
    timer = setTimeout(connect, RECONNECT_MS[Math.min(failures++, RECONNECT_MS.length - 1)]);
    timer.unref();
  };

  const connect = () => {
    if (stopped) return;
    const c = new pg.Client(config);
    client = c;
    let schema = '';
    c.on('error', () => {
      if (client === c) retry();
    });
    c.on('end', () => {
      if (client === c) retry();
    });
    c.on('notification', (m) => {
      const payload = m.payload ?? '';
      const at = payload.lastIndexOf(' ');
      if (at < 0 || payload.slice(0, at) !== schema) return;
      const due = Number(payload.slice(at + 1));
      if (Number.isFinite(due)) onDue(due);
    });
    c.connect()
      .then(async () => {
        schema = (await c.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s;
        await c.query(`LISTEN ${CHANNEL}`);
        if (stopped || client !== c) return;
        // The socket must not keep the process alive on its own.
        (c as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream?.unref?.();
        failures = 0;
        listening = true;
        onDue('unknown'); // whatever was announced before we listened is not known: look once
      })
      .catch(() => {
        if (client === c) retry();
      });
  };

  connect();
  return {
    stop() {
      stopped = true;
      listening = false;
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      c?.end().catch(() => undefined);
    },
    isListening: () => listening,
  };
}
