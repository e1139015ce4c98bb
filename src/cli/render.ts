// `eniplane render`: the guest OS configuration for one ENI, rendered for the
// user's own addresses, from a running server (--eni) or a facts file (--facts).
// Writes nothing unless --out DIR is given.
import type { Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EniFacts } from '../domain/eni-facts.ts';
import { InvalidFactsError, UnsupportedOsError, detectOs, listOs, render, type Rendering } from '../osconfig/index.ts';
import { toEniFacts } from '../service/eni-facts.ts';
import { PRODUCTS } from '../api/products.ts';
import { callRpc, cliCredentials, UserError } from './rpc-client.ts';

interface RenderFlags {
  os?: string;
  osRelease?: string;
  eni?: string;
  facts?: string;
  endpoint: string;
  region: string;
  data: string;
  format: string;
  out?: string;
  listOs?: boolean;
}

/** Facts from the API's own answers: the ENI and its vSwitch. */
async function factsFromServer(f: RenderFlags): Promise<EniFacts> {
  const key = cliCredentials(f.data);
  const eni = await callRpc(f.endpoint, key, 'DescribeNetworkInterfaceAttribute', { RegionId: f.region, NetworkInterfaceId: f.eni! });
  const vsws = await callRpc(f.endpoint, key, 'DescribeVSwitches', { RegionId: f.region, VSwitchId: eni.VSwitchId }, PRODUCTS.vpc.version);
  const vsw = vsws.VSwitches.VSwitch[0];
  const addresses = [
    ...eni.PrivateIpSets.PrivateIpSet.map((p: any) => ({
      family: 4 as const,
      address: String(p.PrivateIpAddress),
      primary: p.Primary === true,
    })),
    ...eni.Ipv6Sets.Ipv6Set.map((p: any) => ({ family: 6 as const, address: String(p.Ipv6Address), primary: false })),
  ];
  return toEniFacts(
    {
      id: eni.NetworkInterfaceId,
      macAddress: eni.MacAddress,
      type: eni.Type,
      deviceIndex: eni.Attachment?.DeviceIndex ?? null,
      addresses,
      // the ENI's IP prefixes (Ipv4PrefixSets / Ipv6PrefixSets): rendered as local routes
      ipv4Prefixes: (eni.Ipv4PrefixSets?.Ipv4PrefixSet ?? []).map((p: any) => String(p.Ipv4Prefix)),
      ipv6Prefixes: (eni.Ipv6PrefixSets?.Ipv6PrefixSet ?? []).map((p: any) => String(p.Ipv6Prefix)),
    },
    { cidrBlock: vsw.CidrBlock, ipv6CidrBlock: vsw.Ipv6CidrBlock || null },
  );
}

export function renderText(r: Rendering): string {
  const out: string[] = [`# ${r.osId} (${r.target})`, ''];
  if (r.warnings.length) out.push('Before you start:', ...r.warnings.map((w) => `  ! ${w}`), '');
  const prepare = r.commands.filter((c) => c.stage === 'prepare');
  if (prepare.length) out.push('1. Prepare:', ...prepare.flatMap((c) => [`   # ${c.why}`, `   ${c.run}`]), '');
  for (const f of r.files)
    out.push(
      `2. Write ${f.path}${f.mode ? ` (mode ${f.mode.toString(8)})` : ''} — ${f.description}`,
      ...f.content
        .trimEnd()
        .split('\n')
        .map((l) => `   ${l}`),
      '',
    );
  const apply = r.commands.filter((c) => c.stage === 'apply');
  if (apply.length) out.push('3. Apply:', ...apply.flatMap((c) => [`   # ${c.why}`, `   ${c.run}`]), '');
  if (r.verify.length) out.push('4. Verify:', ...r.verify.map((v) => `   ${v}`), '');
  return out.join('\n');
}

/**
 * Writes each file at its target path under dir, and one script that runs the
 * whole procedure in order: the prepare commands (backups of the originals),
 * then installing the files from dir into place, then the apply commands.
 */
export function writeRendering(r: Rendering, dir: string): string[] {
  const written: string[] = [];
  const installs: string[] = [];
  const ps = r.shell === 'powershell';
  for (const f of r.files) {
    const rel = f.path
      .replace(/^[A-Za-z]:\\/, '')
      .replace(/\\/g, '/')
      .replace(/^\/+/, '');
    const target = join(dir, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content, { mode: f.mode ?? 0o644 });
    written.push(target);
    installs.push(
      ps
        ? `New-Item -ItemType Directory -Force -Path (Split-Path '${f.path}') | Out-Null; Copy-Item -Force (Join-Path $PSScriptRoot '${rel.replace(/\//g, '\\')}') '${f.path}'`
        : `install -D -m ${(f.mode ?? 0o644).toString(8)} "$HERE/${rel}" '${f.path}'`,
    );
  }
  const script = join(dir, ps ? 'commands.ps1' : 'commands.sh');
  const lines = ps
    ? ['# eniplane: run in an elevated PowerShell, from this folder', '$ErrorActionPreference = "Stop"']
    : ['#!/bin/sh', '# eniplane: run as root; installs the files next to this script', 'set -e', 'HERE=$(cd "$(dirname "$0")" && pwd)'];
  for (const c of r.commands.filter((x) => x.stage === 'prepare')) lines.push(`# ${c.why}`, c.run);
  if (installs.length) lines.push('# install the rendered files', ...installs);
  for (const c of r.commands.filter((x) => x.stage === 'apply')) lines.push(`# ${c.why}`, c.run);
  writeFileSync(script, lines.join('\n') + '\n', { mode: 0o755 });
  written.push(script);
  return written;
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .description("render the guest OS configuration that makes an ENI's secondary addresses work")
    .option('--os <id>', 'target OS id (see --list-os)')
    .option('--os-release <file>', 'detect the OS from an /etc/os-release file instead of --os')
    .option('--eni <id>', 'ENI id, read from a running server')
    .option('--facts <file>', 'ENI facts JSON instead of a server (format: docs/osconfig.md)')
    .option('--endpoint <host:port>', 'server endpoint', process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080')
    .option('--region <id>', 'region of the ENI', 'cn-hangzhou')
    .option(
      '--data <dir>',
      'data directory holding credentials.json (when ENIPLANE_ACCESS_KEY_ID/SECRET are not set)',
      process.env.ENIPLANE_DATA ?? './data',
    )
    .option('--format <text|json>', 'output format', 'text')
    .option('--out <dir>', 'write the files under DIR at their target paths, and the commands to DIR/commands.sh (.ps1)')
    .option('--list-os', 'list the supported OS ids')
    .action(async (f: RenderFlags) => {
      if (f.listOs) {
        console.log(
          listOs()
            .map((os) => `${os.id.padEnd(16)} ${os.target.padEnd(22)} ${os.name}`)
            .join('\n'),
        );
        return;
      }
      if (f.format !== 'text' && f.format !== 'json') throw new UserError('--format must be text or json');
      const osId = f.os ?? (f.osRelease ? detectOs(readFileSync(f.osRelease, 'utf8')) : undefined);
      if (!osId) throw new UserError('give --os <id> (or --os-release <file>); --list-os lists them');
      if (!f.eni === !f.facts) throw new UserError('give exactly one of --eni <id> or --facts <file>');
      const facts = f.facts ? (JSON.parse(readFileSync(f.facts, 'utf8')) as EniFacts) : await factsFromServer(f);
      let r: Rendering;
      try {
        r = render(osId, facts);
      } catch (e) {
        if (e instanceof InvalidFactsError || e instanceof UnsupportedOsError) throw new UserError(e.message);
        throw e;
      }
      if (f.out) {
        const files = writeRendering(r, f.out);
        if (f.format === 'json') console.log(JSON.stringify({ ...r, written: files }, null, 2));
        else console.log(`wrote:\n${files.map((x) => `  ${x}`).join('\n')}`);
        return;
      }
      console.log(f.format === 'json' ? JSON.stringify(r, null, 2) : renderText(r));
    });
}
