import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { PrismaClient as PostgresClient } from './generated/postgresql/client';
import { getConfig } from '../config';
import { isPostgresUrl, sqlitePath } from './url';

/**
 * Prisma Client through driver adapters: SQLite (better-sqlite3) by default,
 * PostgreSQL when DATABASE_URL is a postgresql:// URL. Both clients are
 * generated from the same models, so they share one shape.
 */
export type Db = InstanceType<typeof SqliteClient>;

export { isPostgresUrl, sqlitePath };

export function createDb(url: string): Db {
  if (isPostgresUrl(url)) {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) }) as unknown as Db;
  }
  const path = sqlitePath(url);
  mkdirSync(dirname(path), { recursive: true });
  return new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: `file:${path}` }) });
}

const KEY = Symbol.for('aks-demo.db');
type Holder = { [KEY]?: Db };

export function getDb(): Db {
  const g = globalThis as Holder;
  g[KEY] ??= createDb(getConfig().databaseUrl);
  return g[KEY];
}
