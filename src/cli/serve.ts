// `eniplane serve`: the API (and console) on the chosen store.
import type { Command } from 'commander';
import { resolveServeConfig, serveSettings } from './config.ts';
import { startServer } from '../server.ts';
import { PRODUCTS } from '../api/products.ts';
import { redactPgUrl } from '../store/postgres/pg-config.ts';

export function registerServe(program: Command): void {
  serveSettings
    .register(program.command('serve').description('run the ECS/VPC-compatible API server'))
    .action(async (flags: Record<string, unknown>) => {
      const config = resolveServeConfig(flags, process.env);
      const server = await startServer(config);
      const lines = [
        `eniplane listening`,
        `  endpoint:    http://${server.endpoint}/  (ECS 2014-05-26 and VPC 2016-04-28, RPC style)`,
        `  console:     http://${server.endpoint}/console/  (sign in with the AccessKey pair below)`,
        `  database:    ${config.database ? redactPgUrl(config.database) : `sqlite (${config.data}/eniplane.db)`}`,
        `  credentials: ${server.credentialsFile}`,
      ];
      lines.push(`  metrics:     http://${server.endpoint}/metrics  (health: /healthz, /readyz; admin API: /_eniplane/admin/)`);
      if (config.throttle) lines.push(`  throttle:    ${config.throttle}`);
      if (server.faults.active)
        lines.push(`  FAULTS ACTIVE: ${server.faults.rules().length} rule(s) injecting failures (eniplane faults list)`);
      for (const m of server.metadataEndpoints)
        lines.push(`  metadata:    ${m.startsWith('/') ? `unix:${m}` : `http://${m}/latest/meta-data/`}`);
      const printCredentials = () => {
        const c = server.credentials;
        const lines: string[] = [];
        if (c.created)
          lines.push(
            `  AccessKey ID:     ${c.accessKeyId}`,
            `  AccessKey Secret: ${c.accessKeySecret}   (printed once; kept in credentials.json, mode 0600)`,
          );
        else lines.push(`  AccessKey ID:     ${c.accessKeyId}  (secret in credentials.json)`);
        lines.push(
          `  SDK:  new Client(new Config({ accessKeyId, accessKeySecret, endpoint: '${server.endpoint}', protocol: 'http', regionId: 'cn-hangzhou' }))`,
          `  pop-core: new RPCClient({ accessKeyId, accessKeySecret, endpoint: 'http://${server.endpoint}', apiVersion: '${PRODUCTS.ecs.version}' })`,
        );
        return lines;
      };
      // PostgreSQL unreachable at start: the API is up (answering ServiceUnavailable); the key comes once it connects.
      const waiting = server.waitingForDatabase;
      if (waiting) lines.push(`  database:    unreachable; retrying (every call answers ServiceUnavailable until it connects)`);
      else lines.push(...printCredentials());
      console.log(lines.join('\n'));
      if (waiting)
        server.ready.then(
          () => console.log(['eniplane: database connected', ...printCredentials()].join('\n')),
          (e: unknown) => {
            console.error('eniplane: the database cannot be used', e);
            process.exit(1);
          },
        );
      // Stop accepting, finish what is in flight (bounded, see api/graceful-close.ts), then exit 0.
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        try {
          await server.close();
          process.exit(0);
        } catch (e) {
          console.error('eniplane: shutting down failed', e);
          process.exit(70);
        }
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
