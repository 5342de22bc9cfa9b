import 'server-only';
import { spawn } from 'node:child_process';
import { JobLog, LineSplitter } from './log';

/**
 * One job's process: spawned from an argument array (never a shell), in its own process group
 * so that a cancel reaches what it started (providers, helm's kubectl) as Ctrl-C would.
 * Cancel = SIGINT first (tofu then releases its state lock and stops cleanly), SIGTERM after
 * the grace period, SIGKILL after another.
 */
export interface RunningProcess {
  pid: number;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  cancel(by: string): void;
}

export function startProcess(opts: {
  program: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  log: JobLog;
  graceMs: number;
}): RunningProcess {
  const { log } = opts;
  const child = spawn(opts.program, opts.args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
  const out = new LineSplitter((l) => log.write('out', l));
  const err = new LineSplitter((l) => log.write('err', l));
  child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));
  let exited = false;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      exited = true;
      for (const t of timers) clearTimeout(t);
      out.end();
      err.end();
      resolve({ code, signal });
    });
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  let cancelling = false;
  return {
    pid: child.pid ?? -1,
    done,
    cancel(by: string) {
      if (cancelling || exited) return;
      cancelling = true;
      const grace = Math.round(opts.graceMs / 1000) || opts.graceMs / 1000;
      log.write('sys', `cancel requested by ${by}: sending SIGINT (tofu releases its state lock and stops cleanly)`);
      signalGroup('SIGINT');
      timers.push(setTimeout(() => {
        if (exited) return;
        log.write('sys', `still running ${grace}s after SIGINT: sending SIGTERM`);
        signalGroup('SIGTERM');
        timers.push(setTimeout(() => {
          if (exited) return;
          log.write('sys', `still running ${grace}s after SIGTERM: sending SIGKILL`);
          signalGroup('SIGKILL');
        }, opts.graceMs));
      }, opts.graceMs));
    },
  };
}
