// `eniplane serve`: the API (and console) on the chosen store.
import type { Command } from 'commander';
import { resolveServeConfig } from './config.ts';
import { startServer } from '../server.ts';
import { redactPgUrl } from '../store/postgres/pg-config.ts';

export function registerServe(program: Command): void {
  program.command('serve')
    .description('run the ECS/VPC-compatible API server')
    .option('--host <host>', 'address to listen on (ENIPLANE_HOST)', undefined)
    .option('--port <port>', 'port, 0 for any free one (ENIPLANE_PORT)', undefined)
    .option('--data <dir>', 'data directory; the SQLite file and credentials.json live here (ENIPLANE_DATA)', undefined)
    .option('--database <url>', 'sqlite:<file> or postgres://... (ENIPLANE_DATABASE_URL)', undefined)
    .option('--loose', 'accept undeclared parameters instead of InvalidParameter (ENIPLANE_LOOSE)', undefined)
    .option('--transition-ms <ms>', 'time an async attach/detach/delete/start/stop takes (ENIPLANE_TRANSITION_MS)', undefined)
    .option('--available-eni-max-ipv4 <n>', 'private IPv4 on an Available ENI, primary included (ENIPLANE_AVAILABLE_ENI_MAX_IPV4)', undefined)
    .option('--available-eni-max-ipv6 <n>', 'IPv6 on an Available ENI (ENIPLANE_AVAILABLE_ENI_MAX_IPV6)', undefined)
    .option('--enis-per-region <n>', 'ENI quota per account and region (ENIPLANE_ENIS_PER_REGION)', undefined)
    .option('--regions <file>', 'JSON file of regions and zones (ENIPLANE_REGIONS)', undefined)
    .option('--lab-mode', 'only allow VPCs inside 198.18.0.0/15 (ENIPLANE_LAB_MODE)', undefined)
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (ENIPLANE_LOG_LEVEL)', undefined)
    .option('--metadata-listen <host:port>', 'also serve the instance metadata service here, e.g. 100.100.100.200:80 (ENIPLANE_METADATA_LISTEN)', undefined)
    .option('--metadata-socket <path>', 'also serve it on this Unix socket, mode 0600 (ENIPLANE_METADATA_SOCKET)', undefined)
    .option('--metadata-trust-instance-header', 'development only: honour X-Eniplane-Instance-Id (ENIPLANE_METADATA_TRUST_INSTANCE_HEADER)', undefined)
    .option('--metadata-tokens <mode>', 'optional | required (hardened-only) (ENIPLANE_METADATA_TOKENS)', undefined)
    .action(async (flags: Record<string, unknown>) => {
      const config = resolveServeConfig(flags, process.env);
      const server = await startServer(config);
      const c = server.credentials;
      const lines = [
        `eniplane listening`,
        `  endpoint:    http://${server.endpoint}/  (ECS 2014-05-26 and VPC 2016-04-28, RPC style)`,
        `  console:     http://${server.endpoint}/console/  (sign in with the AccessKey pair below)`,
        `  database:    ${config.database ? redactPgUrl(config.database) : `sqlite (${config.data}/eniplane.db)`}`,
        `  credentials: ${server.credentialsFile}`,
      ];
      for (const m of server.metadataEndpoints) lines.push(`  metadata:    ${m.startsWith('/') ? `unix:${m}` : `http://${m}/latest/meta-data/`}`);
      if (c.created) lines.push(`  AccessKey ID:     ${c.accessKeyId}`, `  AccessKey Secret: ${c.accessKeySecret}   (printed once; kept in credentials.json, mode 0600)`);
      else lines.push(`  AccessKey ID:     ${c.accessKeyId}  (secret in credentials.json)`);
      lines.push(
        `  SDK:  new Client(new Config({ accessKeyId, accessKeySecret, endpoint: '${server.endpoint}', protocol: 'http', regionId: 'cn-hangzhou' }))`,
        `  pop-core: new RPCClient({ accessKeyId, accessKeySecret, endpoint: 'http://${server.endpoint}', apiVersion: '2014-05-26' })`,
      );
      console.log(lines.join('\n'));
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
