import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/**
 * Finds places where a file of the repository reaches outside it: a relative
 * path that climbs (`..`) above the repository root from the file's folder
 * (or from the root, for a path resolved against the working directory), or
 * an absolute path into this machine's work area. A user who clones the
 * repository has nothing beside it, so any such path breaks for them.
 */
export interface OutsideReference {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Folders that are generated, installed or ignored, not part of the repository's sources. */
const SKIP_DIRS = new Set(['node_modules', '.next', '.git', 'data', 'test-results', 'playwright-report', '.terraform', 'generated', 'coverage']);
/** Copies of Azure's examples: data, not code, and they name paths of the spec repository. */
const SKIP_PREFIXES = [join('lib', 'twin', 'fixtures', 'azure-examples')];
/** Files whose paths are often written without quotes. */
const UNQUOTED = new Set(['.sh', '.tf', '.tftpl', '.ps1', '.service', '.md', '.yaml', '.yml', '.toml']);
const CODE = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.sh', '.tf', '.tftpl', '.json', '.yaml', '.yml', '.ps1', '.service', '.prisma', '.toml']);
const DOCS = new Set(['.md']);
/** Absolute paths that only exist on the machines this repository was written on. */
// App Service's own folders (/home/site, /home/data, /home/LogFiles) are where the app is deployed, not this machine's.
const FOREIGN_ABSOLUTE = /(?:^|[\s'"`(=:])(\/work\/[\w./-]*|\/home\/(?!site\/|data\/|LogFiles\/)[\w.-]+\/[\w./-]*)/;

export function repositoryFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (SKIP_PREFIXES.some((p) => rel === p || rel.startsWith(p + sep))) continue;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (CODE.has(extname(entry.name)) || DOCS.has(extname(entry.name))) {
        out.push(rel);
      }
    }
  };
  walk(root);
  return out.sort();
}

const LITERAL = /(['"`])((?:(?!\1)[^\\\n]|\\.)*)\1/g;
/** A run of `..` segments at the start of a path or after a separator. */
/** Just after `join(` / `resolve(` or their first argument: the arguments that follow form one path. */
const PATH_CALL = /\b(?:join|resolve)\(\s*(?:(?:__dirname|import\.meta\.dirname|[\w.]+)\s*,\s*)?$/;
const CLIMB = /(?:^|[^\w.-])((?:\.\.\/)*\.\.)(?=\/|$|[^\w./-])/g;

/**
 * How many folders `text` climbs, joining a run of string arguments the way
 * `join(__dirname, '..', '..')` does; `fromRoot` when the path is resolved
 * against the working directory (the first argument of `resolve`/`join`).
 */
function climbs(line: string, unquoted: boolean): { depth: number; fromRoot: boolean; text: string }[] {
  const found: { depth: number; fromRoot: boolean; text: string }[] = [];
  const literals: { value: string; start: number; end: number }[] = [];
  for (const m of line.matchAll(LITERAL)) literals.push({ value: m[2], start: m.index, end: m.index + m[0].length });
  // Consecutive literals separated only by commas are arguments of one path join.
  const groups: { value: string; start: number; end: number; joined: boolean }[] = [];
  for (const lit of literals) {
    const prev = groups.at(-1);
    if (prev?.joined && /^\s*,\s*$/.test(line.slice(prev.end, lit.start))) {
      prev.value += '/' + lit.value;
      prev.end = lit.end;
    } else {
      const joined = PATH_CALL.test(line.slice(0, lit.start));
      groups.push({ value: lit.value, start: lit.start, end: lit.end, joined });
    }
  }
  // Shell and HCL paths are often unquoted: there, also read the line with its quotes removed.
  const candidates = unquoted ? [...groups, { value: line.replace(/["'`]/g, ''), start: -1 }] : groups;
  for (const g of candidates) {
    for (const m of g.value.matchAll(CLIMB)) {
      const depth = m[1].split('/').length;
      const fromRoot = g.start >= 0 && /\b(?:resolve|join)\(\s*$/.test(line.slice(0, g.start)) && m.index === 0;
      found.push({ depth, fromRoot, text: g.value.trim() });
    }
  }
  return found;
}

/**
 * Paths that look like a climb but are resolved from another folder, each with
 * the reason. Keep this short: a new entry needs the same proof.
 */
export const RESOLVED_ELSEWHERE: { file: string; text: string; why: string }[] = [
  {
    file: join('scripts', 'prisma-generate.mjs'),
    // Joined, so that this list (one folder deep) does not itself read as a climb.
    text: ['..', '..', 'lib/db/generated/postgresql'].join('/'),
    why: 'the output path written into prisma/postgresql/schema.prisma, which Prisma resolves from that file (two folders deep)',
  },
  {
    file: 'eslint.config.mjs',
    text: "'../azure', '../azure/*'",
    why: 'import patterns ESLint matches against imports in files under lib/, not paths the config reads',
  },
];

export function outsideReferences(root: string, files = repositoryFiles(root)): OutsideReference[] {
  const found: OutsideReference[] = [];
  for (const file of files) {
    const ext = extname(file);
    const depth = file.split(sep).length - 1;
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const abs = FOREIGN_ABSOLUTE.exec(line);
      if (abs) return void found.push({ file, line: i + 1, text: abs[1], why: 'an absolute path outside the repository' });
      // One report per line: the quoted and unquoted readings of a line find the same path.
      const c = climbs(line, UNQUOTED.has(ext)).find((x) => x.depth > (x.fromRoot ? 0 : depth));
      if (c && RESOLVED_ELSEWHERE.some((r) => r.file === file && line.includes(r.text))) return;
      if (c) found.push({ file, line: i + 1, text: c.text, why: `climbs ${c.depth} folder(s) from a folder ${c.fromRoot ? 0 : depth} deep` });
    });
  }
  return found;
}
