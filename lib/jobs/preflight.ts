import 'server-only';
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { INSTALL_HINTS, type Tool } from './catalog';

/**
 * Which tools exist on this machine, and their versions: shown on the jobs page, and
 * checked before a job starts so that a missing tool fails it at once with what to install.
 */
export interface ToolStatus {
  tool: Tool;
  found: boolean;
  path?: string;
  version?: string;
  hint: string;
}

const VERSION_ARGS: Record<Tool, string[]> = {
  tofu: ['version'],
  helm: ['version', '--short'],
  kubectl: ['version', '--client'],
  az: ['version', '--output', 'tsv', '--query', '"azure-cli"'],
  bash: ['--version'],
};

/** Looks a program up on a PATH the way execvp does, without a shell. */
export function which(tool: string, path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

export async function checkTool(tool: Tool, env: NodeJS.ProcessEnv): Promise<ToolStatus> {
  const path = which(tool, env.PATH ?? '');
  if (!path) return { tool, found: false, hint: INSTALL_HINTS[tool] };
  const version = await new Promise<string>((resolve) => {
    execFile(path, VERSION_ARGS[tool], { env, timeout: 15_000 }, (err, stdout, stderr) => {
      resolve(firstLine(stdout) || firstLine(stderr) || (err ? `unknown (${err.message.split('\n')[0]})` : 'unknown'));
    });
  });
  return { tool, found: true, path, version, hint: INSTALL_HINTS[tool] };
}

export async function checkTools(tools: readonly Tool[], env: NodeJS.ProcessEnv): Promise<ToolStatus[]> {
  return Promise.all(tools.map((t) => checkTool(t, env)));
}

/** The message a job fails with when tools are missing, or undefined when all are there. */
export function missingToolsMessage(statuses: ToolStatus[]): string | undefined {
  const missing = statuses.filter((s) => !s.found);
  if (!missing.length) return undefined;
  return `Not started: ${missing.map((m) => m.tool).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed on this server. Install: ${missing.map((m) => m.hint).join('; ')}.`;
}
