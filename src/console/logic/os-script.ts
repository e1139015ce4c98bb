// One copy-and-paste shell script from a rendering: the prepare commands, the
// files (as here-documents), then the apply commands, in the order the
// renderer gives them. Only for POSIX shells; PowerShell renderings are shown
// step by step.
export interface ScriptSource {
  osId: string;
  shell: 'sh' | 'powershell';
  files: { path: string; content: string; mode?: number; description: string }[];
  commands: { run: string; why: string; stage: 'prepare' | 'apply' }[];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const comment = (s: string) =>
  s
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');

export function shellScript(r: ScriptSource, title: string): string | undefined {
  if (r.shell !== 'sh') return undefined;
  const out: string[] = ['#!/bin/sh', comment(title), ''];
  for (const c of r.commands.filter((x) => x.stage === 'prepare')) out.push(comment(c.why), c.run, '');
  for (const f of r.files) {
    let eof = 'ENIPLANE_EOF';
    while (f.content.split('\n').includes(eof)) eof += '_';
    const body = f.content.endsWith('\n') ? f.content : `${f.content}\n`;
    out.push(comment(f.description), `mkdir -p "$(dirname ${quote(f.path)})"`, `cat > ${quote(f.path)} <<'${eof}'`, body + eof);
    if (f.mode !== undefined) out.push(`chmod ${f.mode.toString(8)} ${quote(f.path)}`);
    out.push('');
  }
  for (const c of r.commands.filter((x) => x.stage === 'apply')) out.push(comment(c.why), c.run, '');
  return out.join('\n');
}
