// AccessKey secrets at rest and the audit trail's table on PostgreSQL: the same contract as SQLite's,
// each case on a fresh schema (dropped after), the key outside the database.
import { after, describe } from 'node:test';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { dropSchema, freshSchemaName, pgUnavailable, querySchema, urlWithSchema } from './pg-support.ts';
import { secretsContract } from './secrets-contract.ts';
import { auditContract } from './audit-contract.ts';

const unavailable = await pgUnavailable();
const schemas: string[] = [];
after(async () => {
  for (const s of schemas) await dropSchema(s);
});

describe('PostgreSQL: AccessKey secrets at rest', { skip: unavailable }, () => {
  secretsContract(() => {
    const schema = freshSchemaName();
    schemas.push(schema);
    let n = 0;
    return {
      open: (secrets) => PostgresStore.open(urlWithSchema(schema), { secrets }),
      rows: () =>
        querySchema<{ id: string; secret: string; secret_key_id: string | null }>(
          schema,
          'SELECT id, secret, secret_key_id FROM access_keys ORDER BY id',
        ),
      exec: async (sql, params) => {
        await querySchema(
          schema,
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        );
        n = 0;
      },
    };
  });
});

describe('PostgreSQL: the audit trail', { skip: unavailable }, () => {
  auditContract(async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    return PostgresStore.open(urlWithSchema(schema));
  });
});
