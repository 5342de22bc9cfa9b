import { resolve } from 'node:path';

/** Kept apart from ./index so the launcher can migrate without loading Prisma Client. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** `file:./data/app.db` → an absolute path, relative to the working directory. */
export function sqlitePath(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}
