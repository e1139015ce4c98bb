// The OS versions we render for, each mapped to one target exactly as the
// seed document groups them ("Secondary private IP addresses", Method 2), with
// the restart command from its "Restart the network service" table. Also
// detection from /etc/os-release text.

import { UnsupportedOsError } from './errors.ts';
import type { TargetId } from './rendering.ts';

type OsFamily = 'ubuntu' | 'debian' | 'rhel' | 'sles' | 'windows' | 'networkmanager';

export interface OsEntry {
  id: string;
  name: string;
  family: OsFamily;
  target: TargetId;
  /** the seed's restart command; absent when the target's own commands apply the change */
  restart?: { run: string; why: string };
}

const RESTART_NETWORK = { run: 'systemctl restart network', why: 'seed table: the network service re-reads the ifcfg files' };
const SERVICE_NETWORK = { run: 'service network restart', why: 'seed table: SysV network service (no systemd on this release)' };
const RESTART_NM = { run: 'systemctl restart NetworkManager', why: 'seed table: NetworkManager re-reads the ifcfg files when it starts' };
const NETPLAN_APPLY = { run: 'netplan apply', why: 'seed table: renders the YAML for the backend and applies it' };
const RESTART_NETWORKING = { run: 'systemctl restart networking', why: 'seed table: ifupdown takes the interfaces down and up again' };
// COMPAT: the seed's table says "systemctl restart networking or reboot" for
// Ubuntu 14/16, but 14.04 boots with upstart (no systemctl) and its
// `service networking restart` does not reconfigure interfaces, so: reboot.
const REBOOT_1404 = {
  run: 'reboot',
  why: 'Ubuntu 14.04 has no systemctl and "service networking restart" does not re-read the interfaces; the seed allows a reboot',
};

const rhel = (id: string, name: string, restart: OsEntry['restart']): OsEntry => ({
  id,
  name,
  family: 'rhel',
  target: 'rhel-ifcfg',
  restart,
});

const CATALOG: readonly OsEntry[] = [
  { id: 'nmcli', name: 'Any distribution managed by NetworkManager (nmcli)', family: 'networkmanager', target: 'nmcli' },
  rhel('alinux-2', 'Alibaba Cloud Linux 2', RESTART_NETWORK),
  rhel('alinux-3', 'Alibaba Cloud Linux 3', RESTART_NM),
  rhel('anolis-7', 'Anolis OS 7', RESTART_NETWORK),
  rhel('anolis-8', 'Anolis OS 8', RESTART_NM),
  rhel('centos-6', 'CentOS 6', SERVICE_NETWORK),
  rhel('centos-7', 'CentOS 7', RESTART_NETWORK),
  rhel('centos-8', 'CentOS 8', RESTART_NM),
  rhel('rhel-6', 'Red Hat Enterprise Linux 6', SERVICE_NETWORK),
  rhel('rhel-7', 'Red Hat Enterprise Linux 7', RESTART_NETWORK),
  rhel('rhel-8', 'Red Hat Enterprise Linux 8', RESTART_NM),
  // the seed lists Red Hat 9 as RHEL series but not in the restart table; it is NetworkManager-only like 8
  rhel('rhel-9', 'Red Hat Enterprise Linux 9', RESTART_NM),
  rhel('fedora-33', 'Fedora 33', RESTART_NM),
  rhel('fedora-34', 'Fedora 34', RESTART_NM),
  rhel('fedora-35', 'Fedora 35', RESTART_NM),
  { id: 'ubuntu-14.04', name: 'Ubuntu 14.04', family: 'ubuntu', target: 'ifupdown', restart: REBOOT_1404 },
  { id: 'ubuntu-16.04', name: 'Ubuntu 16.04', family: 'ubuntu', target: 'ifupdown', restart: RESTART_NETWORKING },
  { id: 'ubuntu-18.04', name: 'Ubuntu 18.04', family: 'ubuntu', target: 'netplan-gateway4', restart: NETPLAN_APPLY },
  { id: 'ubuntu-20.04', name: 'Ubuntu 20.04', family: 'ubuntu', target: 'netplan-gateway4', restart: NETPLAN_APPLY },
  { id: 'ubuntu-22.04', name: 'Ubuntu 22.04', family: 'ubuntu', target: 'netplan-default-route', restart: NETPLAN_APPLY },
  // the seed's table names Ubuntu 18/20/22; 24.04 is in its netplan section with 22
  { id: 'ubuntu-24.04', name: 'Ubuntu 24.04', family: 'ubuntu', target: 'netplan-default-route', restart: NETPLAN_APPLY },
  { id: 'debian-8', name: 'Debian 8', family: 'debian', target: 'ifupdown', restart: RESTART_NETWORKING },
  { id: 'debian-9', name: 'Debian 9', family: 'debian', target: 'ifupdown', restart: RESTART_NETWORKING },
  { id: 'debian-10', name: 'Debian 10', family: 'debian', target: 'ifupdown', restart: RESTART_NETWORKING },
  { id: 'debian-11', name: 'Debian 11', family: 'debian', target: 'ifupdown', restart: RESTART_NETWORKING },
  { id: 'debian-12', name: 'Debian 12', family: 'debian', target: 'netplan-default-route', restart: NETPLAN_APPLY },
  // SUSE Linux 11 predates systemd; 12/15 and openSUSE 15 run wicked behind the network service
  { id: 'sles-11', name: 'SUSE Linux Enterprise Server 11', family: 'sles', target: 'sles-ifcfg', restart: SERVICE_NETWORK },
  { id: 'sles-12', name: 'SUSE Linux Enterprise Server 12', family: 'sles', target: 'sles-ifcfg', restart: RESTART_NETWORK },
  { id: 'sles-15', name: 'SUSE Linux Enterprise Server 15', family: 'sles', target: 'sles-ifcfg', restart: RESTART_NETWORK },
  { id: 'opensuse-15', name: 'openSUSE Leap 15', family: 'sles', target: 'sles-ifcfg', restart: RESTART_NETWORK },
  { id: 'windows-2016', name: 'Windows Server 2016', family: 'windows', target: 'windows' },
  { id: 'windows-2019', name: 'Windows Server 2019', family: 'windows', target: 'windows' },
  { id: 'windows-2022', name: 'Windows Server 2022', family: 'windows', target: 'windows' },
];

const BY_ID = new Map(CATALOG.map((e) => [e.id, e]));

export function listOs(): OsEntry[] {
  return CATALOG.map((e) => ({ ...e }));
}

export function supportedOsIds(): string[] {
  return CATALOG.map((e) => e.id);
}

/** the catalogue entry for an id, or UnsupportedOsError listing every id */
export function findOs(osId: string): OsEntry {
  const entry = BY_ID.get(osId);
  if (!entry) throw new UnsupportedOsError(osId, supportedOsIds());
  return entry;
}

/** KEY=value lines of an os-release file, quotes and backslash escapes removed */
function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(.)/g, '$1');
    }
    fields[m[1]] = value;
  }
  return fields;
}

const major = (version: string): string => version.split('.')[0];

/** the catalogue id an os-release ID (or an ID_LIKE word) and VERSION_ID would have */
function candidateId(id: string, versionId: string): string | undefined {
  switch (id) {
    case 'ubuntu':
      return `ubuntu-${versionId}`;
    case 'debian':
      return `debian-${major(versionId)}`;
    case 'centos':
    case 'rhel':
    case 'anolis':
    case 'fedora':
      return `${id}-${major(versionId)}`;
    // Aliyun Linux 2 said ID="aliyun"; Alibaba Cloud Linux says ID="alinux"
    case 'alinux':
    case 'aliyun':
      return `alinux-${major(versionId)}`;
    case 'sles':
    case 'sles_sap':
    case 'suse':
      return `sles-${major(versionId)}`;
    case 'opensuse-leap':
    case 'opensuse':
      return `opensuse-${major(versionId)}`;
    default:
      return undefined;
  }
}

/**
 * Maps the text of /etc/os-release (ID, VERSION_ID, then ID_LIKE words, e.g.
 * Rocky 8 -> rhel-8) to a catalogue id. Also takes the one-line release files
 * of systems older than os-release (/etc/redhat-release on CentOS/RHEL 6,
 * /etc/SuSE-release on SLES 11) and a Windows caption ("Microsoft Windows
 * Server 2022 Datacenter"). Throws UnsupportedOsError otherwise.
 */
export function detectOs(osReleaseText: string): string {
  const windows = /Windows Server (2016|2019|2022)\b/.exec(osReleaseText);
  if (windows) return `windows-${windows[1]}`;

  const fields = parseOsRelease(osReleaseText);
  const id = (fields.ID ?? '').toLowerCase();
  const versionId = fields.VERSION_ID ?? '';
  const candidates: string[] = [];
  if (id && versionId) {
    const own = candidateId(id, versionId);
    if (own) candidates.push(own);
    for (const like of (fields.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
      const c = candidateId(like, versionId);
      if (c) candidates.push(c);
    }
  } else {
    const redhat = /^(CentOS|Red Hat Enterprise Linux)\b.*\brelease (\d+)/m.exec(osReleaseText);
    if (redhat) candidates.push(`${redhat[1] === 'CentOS' ? 'centos' : 'rhel'}-${redhat[2]}`);
    const suse = /^SUSE Linux Enterprise Server (\d+)/m.exec(osReleaseText);
    if (suse) candidates.push(`sles-${suse[1]}`);
  }
  const found = candidates.find((c) => BY_ID.has(c));
  if (found) return found;
  const described = id ? `${id} ${versionId}`.trim() : osReleaseText.split('\n')[0].slice(0, 80);
  throw new UnsupportedOsError(described, supportedOsIds());
}
