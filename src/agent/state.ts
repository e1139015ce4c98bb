// The agent's record of what it added (its --state-dir), written atomically
// (temp file + rename) so a crash leaves either the old or the new record.
// A missing or unreadable record means "owns nothing": the safe direction,
// since the agent only ever removes what it owns.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NO_OWNERSHIP, type Ownership } from './model.ts';

const family = z.union([z.literal(4), z.literal(6)]);
const recordSchema = z.object({
  version: z.literal(1),
  owned: z.object({
    addresses: z.array(z.object({ mac: z.string(), family, address: z.string(), prefixLength: z.number().int() })),
    rules: z.array(z.object({ family, src: z.string(), table: z.number().int(), priority: z.number().int() })),
    routes: z.array(z.object({ family, table: z.number().int(), dst: z.string(), gateway: z.string().optional(), mac: z.string() })),
  }),
});

const RECORD_FILE = 'owned.json';

export async function loadOwnership(stateDir: string): Promise<{ owned: Ownership; warning?: string }> {
  let text: string;
  try {
    text = await readFile(join(stateDir, RECORD_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { owned: NO_OWNERSHIP };
    return { owned: NO_OWNERSHIP, warning: `cannot read ${RECORD_FILE}: ${(e as Error).message}` };
  }
  try {
    const r = recordSchema.safeParse(JSON.parse(text));
    if (r.success) return { owned: r.data.owned as Ownership };
    return { owned: NO_OWNERSHIP, warning: `${RECORD_FILE} is malformed; starting with an empty record (nothing will be removed)` };
  } catch {
    return { owned: NO_OWNERSHIP, warning: `${RECORD_FILE} is not JSON; starting with an empty record (nothing will be removed)` };
  }
}

export async function saveOwnership(stateDir: string, owned: Ownership): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, RECORD_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ version: 1, owned }, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, file);
}
