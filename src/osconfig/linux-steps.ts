// Steps every Linux target shares: backups, the cloud-init switch, verify
// commands.

import type { EniPlan } from './eni-plan.ts';
import type { OsEntry } from './os-catalog.ts';
import type { RenderedCommand, RenderedFile, Rendering } from './rendering.ts';

/**
 * Backups go to one directory outside every configuration directory. A copy
 * next to the original (ifcfg-eth0.bak.eniplane) would be read as a config of
 * its own: initscripts, NetworkManager's ifcfg-rh and wicked skip only a fixed
 * list of suffixes, and ifupdown's "source interfaces.d/*" reads any name.
 * The first backup is kept: running the commands again must not overwrite the
 * original with our own output.
 */
export const BACKUP_DIR = '/var/backups/eniplane';

export function backupCommand(path: string): RenderedCommand {
  const copy = `${BACKUP_DIR}${path}`;
  const dir = copy.slice(0, copy.lastIndexOf('/'));
  return {
    run: `if [ -e ${path} ] && [ ! -e ${copy} ]; then mkdir -p ${dir} && cp -a ${path} ${copy}; fi`,
    why: `back up ${path} (if it exists) to ${copy}`,
    stage: 'prepare',
  };
}

/** moves files matching a glob into the backup directory (stale alias files, cloud-init's own stanzas) */
export function moveAwayCommand(glob: string, why: string): RenderedCommand {
  return {
    run: `for f in ${glob}; do [ -e "$f" ] || continue; mkdir -p "${BACKUP_DIR}\${f%/*}"; [ -e "${BACKUP_DIR}$f" ] || cp -a "$f" "${BACKUP_DIR}$f"; rm -f "$f"; done`,
    why,
    stage: 'prepare',
  };
}

const CLOUD_INIT_SWITCH_PATH = '/etc/cloud/cloud.cfg.d/99-disable-network-config.cfg';

/** the seed's "disable cloud-init network configuration" file, and its backup */
function cloudInitSwitch(): { file: RenderedFile; backup: RenderedCommand } {
  return {
    file: {
      path: CLOUD_INIT_SWITCH_PATH,
      content: 'network: {config: disabled}\n',
      mode: 0o644,
      description: 'stops cloud-init from rewriting the network configuration at boot (seed: "cloud-init and network configuration")',
    },
    backup: backupCommand(CLOUD_INIT_SWITCH_PATH),
  };
}

/**
 * A Linux target's rendering: the cloud-init switch first (its file, and its backup
 * before the target's own commands), then what the target writes and runs; verified
 * with linuxVerify and whatever the target adds; run by sh.
 */
export function linuxRendering(
  os: OsEntry,
  plan: EniPlan,
  own: { files: RenderedFile[]; commands: RenderedCommand[]; warnings: string[]; verify?: string[] },
): Rendering {
  const cloudInit = cloudInitSwitch();
  return {
    osId: os.id,
    target: os.target,
    files: [cloudInit.file, ...own.files],
    commands: [cloudInit.backup, ...own.commands],
    warnings: own.warnings,
    verify: [...linuxVerify(plan), ...(own.verify ?? [])],
    shell: 'sh',
  };
}

function linuxVerify(plan: EniPlan): string[] {
  const dev = plan.ifname;
  const out = [`ip -4 addr show dev ${dev}`];
  if (plan.v6.length > 0) out.push(`ip -6 addr show dev ${dev}`);
  if (plan.localRoutes.some((r) => r.family === 4)) out.push(`ip -4 route show table local type local dev ${dev}`);
  if (plan.localRoutes.some((r) => r.family === 6)) out.push(`ip -6 route show table local type local dev ${dev}`);
  if (plan.policy) {
    out.push('ip -4 rule show', `ip -4 route show table ${plan.policy.table}`);
    if (plan.policy.v6) out.push('ip -6 rule show', `ip -6 route show table ${plan.policy.table}`);
    out.push('ip -4 route show default');
  }
  return out;
}

export function restartCommand(restart: { run: string; why: string } | undefined): RenderedCommand[] {
  return restart ? [{ run: restart.run, why: restart.why, stage: 'apply' }] : [];
}

/** "# " comment lines for the head of a file */
export function headerComment(lines: string[]): string {
  return lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';
}
