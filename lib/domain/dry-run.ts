/**
 * The add-on installer's dry-run output (`infra/addons/install.sh --dry-run`, format in
 * infra/addons/lib/common.sh) as steps: a pure parser, read by the jobs that simulate the
 * installer on the twin and by the infra tests that run it.
 */
export interface DryRunStep {
  cluster: string; // mgmt | app1 | app2 | subscription
  step: string; // e.g. 05-kyverno
  commands: string[][]; // argv of every "+ …" line
  lines: string[];
}

export interface DryRunResult {
  stdout: string;
  steps: DryRunStep[];
}

/** Split a "+ …" line (bash printf %q quoting) into argv. */
export function splitCommand(line: string): string[] {
  const s = line.replace(/^\+ /, '').replace(/\s+# rendered$/, '');
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) { cur += s[++i]; has = true; continue; }
    if (c === "'") { const j = s.indexOf("'", i + 1); cur += s.slice(i + 1, j); i = j; has = true; continue; }
    if (c === ' ') { if (has) out.push(cur); cur = ''; has = false; continue; }
    cur += c; has = true;
  }
  if (has) out.push(cur);
  return out;
}

export function parseDryRun(stdout: string): DryRunResult {
  const steps: DryRunStep[] = [];
  let cur: DryRunStep | null = null;
  for (const line of stdout.split('\n')) {
    const h = /^==> \[([a-z0-9]+)\] (\S+)$/.exec(line);
    if (h) { cur = { cluster: h[1], step: h[2], commands: [], lines: [] }; steps.push(cur); continue; }
    if (!cur) continue;
    cur.lines.push(line);
    if (line.startsWith('+ ')) cur.commands.push(splitCommand(line));
  }
  return { stdout, steps };
}
