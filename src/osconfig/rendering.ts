// What every renderer returns: the files to write, the commands to run around
// them, and how to check the result. Pure data, printed by `eniplane render`
// and executed by the agent.

/** One renderer per configuration format; several OS versions share a target. */
export type TargetId = 'nmcli' | 'rhel-ifcfg' | 'netplan-gateway4' | 'netplan-default-route' | 'ifupdown' | 'sles-ifcfg' | 'windows';

export interface RenderedFile {
  /** absolute path on the guest (a Windows path for the windows target) */
  path: string;
  /** the whole file; renderers never patch files in place */
  content: string;
  /** permission bits, e.g. 0o600 for netplan (it warns about wider ones) */
  mode?: number;
  description: string;
}

/**
 * `stage` is our addition to the command shape of the issue: `prepare` commands
 * (backups, moving stale files away) run BEFORE the files are written, `apply`
 * commands after. Within a stage the order is the order to run them in, and
 * all commands of one rendering are meant for one shell session (the nmcli
 * target sets a variable in one command and uses it in the next).
 */
export interface RenderedCommand {
  run: string;
  why: string;
  stage: 'prepare' | 'apply';
}

export interface Rendering {
  osId: string;
  target: TargetId;
  files: RenderedFile[];
  /** prepare commands first (backups), then apply commands */
  commands: RenderedCommand[];
  warnings: string[];
  /** read-only commands that show the result */
  verify: string[];
  shell: 'sh' | 'powershell';
}
