// AccessKey secrets at rest: AES-256-GCM (node:crypto) under a key kept apart
// from the database — ENIPLANE_SECRET_KEY, or `secret.key` (0600) in the data
// directory of the host that runs eniplane, whatever the database. Each row
// names the key that sealed it (`secret_key_id`), so keys rotate: a new key
// goes first, `eniplane keys rotate` re-seals every row under it in one
// transaction, and the old keys stay readable until then. The row's own id is
// the GCM additional data: a sealed secret copied onto another row does not open.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_FILE = 'secret.key';

/** A key's id: derived from the key, so the same key has the same id on every host. */
export function keyIdOf(key: Buffer): string {
  return 'k' + createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function parseKeys(text: string, source: string): Buffer[] {
  const keys = text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((b) => Buffer.from(b, 'base64'));
  if (keys.length === 0 || keys.some((k) => k.length !== KEY_BYTES)) {
    throw new Error(`${source}: expected base64 AES-256 keys (32 bytes each), newest first`);
  }
  return keys;
}

export class SecretBox {
  private keys = new Map<string, Buffer>();
  private currentId = '';

  /** keys newest first; `reload` re-reads their source when a row names a key this process does not hold yet */
  constructor(
    keys: Buffer[],
    private readonly reload?: () => Buffer[],
  ) {
    this.use(keys);
  }

  private use(keys: Buffer[]): void {
    this.keys = new Map(keys.map((k) => [keyIdOf(k), k]));
    this.currentId = keyIdOf(keys[0]);
  }

  get currentKeyId(): string {
    return this.currentId;
  }

  seal(rowId: string, plain: string): { sealed: string; keyId: string } {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    c.setAAD(Buffer.from(rowId));
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return { sealed: Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64'), keyId: this.currentId };
  }

  open(rowId: string, sealed: string, keyId: string): string {
    let key = this.keys.get(keyId);
    if (!key && this.reload) {
      this.use(this.reload());
      key = this.keys.get(keyId);
    }
    if (!key)
      throw new Error(
        `AccessKey ${rowId} is sealed with key ${keyId}, which this process does not hold (ENIPLANE_SECRET_KEY or ${SECRET_KEY_FILE})`,
      );
    const raw = Buffer.from(sealed, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    d.setAAD(Buffer.from(rowId));
    d.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([d.update(raw.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
  }
}

function writeKeyFile(file: string, keys: Buffer[]): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, keys.map((k) => k.toString('base64')).join('\n') + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * The box for a data directory: ENIPLANE_SECRET_KEY (base64 keys, comma-separated, newest first) when set,
 * else `<dataDir>/secret.key`, created with a fresh key (mode 0600) on first use.
 */
export function secretBoxFor(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretBox {
  const fromEnv = env.ENIPLANE_SECRET_KEY;
  if (fromEnv) return new SecretBox(parseKeys(fromEnv, 'ENIPLANE_SECRET_KEY'));
  const file = join(dataDir, SECRET_KEY_FILE);
  if (!existsSync(file)) writeKeyFile(file, [randomBytes(KEY_BYTES)]);
  chmodSync(file, 0o600);
  const read = () => parseKeys(readFileSync(file, 'utf8'), file);
  return new SecretBox(read(), read);
}

/** Puts a fresh key first in `<dataDir>/secret.key` (older keys stay, to open rows not yet re-sealed); returns its id. */
export function addKeyToFile(dataDir: string): string {
  const file = join(dataDir, SECRET_KEY_FILE);
  const old = existsSync(file) ? parseKeys(readFileSync(file, 'utf8'), file) : [];
  const fresh = randomBytes(KEY_BYTES);
  writeKeyFile(file, [fresh, ...old]);
  return keyIdOf(fresh);
}
