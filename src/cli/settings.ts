// Command settings declared once. A table row names the setting's flag, its
// ENIPLANE_* twin, its help and its zod schema (type, range, default, unit);
// from that one table come the commander options, the help text (with the
// environment name and the default), the environment lookup and the
// validation. Flags win over the environment, which wins over the defaults;
// every problem is reported at once, before anything starts.
import type { Command } from 'commander';
import { z } from 'zod';

interface SettingDef<S extends z.ZodType = z.ZodType> {
  /** the commander flag: '--port <port>' takes a value, '--loose' is a switch */
  flag: string;
  /** its environment twin, if it has one */
  env?: string;
  help: string;
  schema: S;
  /** the flag may be given several times; the values are collected in order */
  repeatable?: true;
}

export type SettingsTable = Record<string, SettingDef>;
export type SettingsOf<T extends SettingsTable> = { [K in keyof T]: z.output<T[K]['schema']> };

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A switch: true when given; from the environment 'true' or '1'. */
export const switchSchema = () => z.preprocess((v) => v === true || v === 'true' || v === '1', z.boolean());

const flagName = (def: SettingDef) => def.flag.split(/[ ,]/)[0];

export interface Settings<T extends SettingsTable> {
  readonly table: T;
  /** adds every setting as an option of the command */
  register(cmd: Command): Command;
  /** flags over environment over defaults; throws a ConfigError listing every problem */
  resolve(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): SettingsOf<T>;
}

/**
 * label names the command in error messages; check adds rules between settings
 * (report each with issue(key, message)).
 */
export function defineSettings<T extends SettingsTable>(
  label: string,
  table: T,
  check?: (c: SettingsOf<T>, issue: (key: keyof T & string, message: string) => void) => void,
): Settings<T> {
  const shape = Object.fromEntries(Object.entries(table).map(([k, d]) => [k, d.schema]));
  let schema: z.ZodType = z.object(shape).strict();
  if (check) {
    schema = (schema as z.ZodObject).superRefine((c, ctx) =>
      check(c as SettingsOf<T>, (key, message) => ctx.addIssue({ code: 'custom', path: [key], message })),
    );
  }
  return {
    table,
    register(cmd) {
      for (const def of Object.values(table)) {
        const dflt = def.schema.safeParse(undefined);
        const shown =
          dflt.success && dflt.data !== undefined && dflt.data !== false && !(Array.isArray(dflt.data) && dflt.data.length === 0)
            ? `default ${JSON.stringify(dflt.data)}`
            : undefined;
        const extra = [def.env, shown].filter(Boolean).join(', ');
        const help = extra ? `${def.help} (${extra})` : def.help;
        // No commander default: an absent flag must let the environment through.
        if (def.repeatable) cmd.option(def.flag, help, (v: string, prev: string[] = []) => [...prev, v], undefined);
        else cmd.option(def.flag, help, undefined);
      }
      return cmd;
    },
    resolve(flags, env) {
      const merged: Record<string, unknown> = {};
      for (const [key, def] of Object.entries(table)) {
        const fromEnv = def.env ? env[def.env] : undefined;
        if (fromEnv !== undefined && fromEnv !== '') merged[key] = fromEnv;
        if (flags[key] !== undefined) merged[key] = flags[key];
      }
      // A flag no row declares is a bug between commander and the table: let strict() name it.
      for (const [key, v] of Object.entries(flags)) if (!(key in table) && v !== undefined) merged[key] = v;
      const r = schema.safeParse(merged);
      if (!r.success) {
        const lines = r.error.issues.map((i) => {
          const key = String(i.path[0] ?? '');
          const def = table[key];
          const where = def ? [flagName(def), def.env].filter(Boolean).join(' / ') : '(settings)';
          return `  ${where}: ${i.message}`;
        });
        throw new ConfigError(`invalid ${label} settings:\n${lines.join('\n')}`);
      }
      return r.data as SettingsOf<T>;
    },
  };
}

/** Where the data lives: shared by every command that opens the store. */
export const STORE_SETTINGS = {
  data: {
    flag: '--data <dir>',
    env: 'ENIPLANE_DATA',
    help: 'data directory; the SQLite file and credentials.json live here',
    schema: z.string().min(1).default('./data'),
  },
  database: {
    flag: '--database <url>',
    env: 'ENIPLANE_DATABASE_URL',
    help: 'sqlite:<file> or postgres://...[?schema=NAME] (default: <data>/eniplane.db)',
    schema: z
      .string()
      .regex(/^(sqlite:|postgres:\/\/|postgresql:\/\/)/, 'unsupported URL (use sqlite:<file> or postgres://...)')
      .optional(),
  },
} satisfies SettingsTable;
