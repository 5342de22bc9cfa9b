import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { isPostgresUrl, sqlitePath } from './url';

/**
 * Applies the committed SQL migrations (prisma/migrations for SQLite,
 * prisma/postgresql/migrations for PostgreSQL), one transaction per file, and
 * records them in a `_prisma_migrations` table of Prisma's own layout, so a
 * user who has Prisma's schema engine can take over with `prisma migrate`.
 * Prisma's native engine cannot be downloaded here, hence this.
 */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(root: string, url: string): string {
  return isPostgresUrl(url) ? join(root, 'prisma/postgresql/migrations') : join(root, 'prisma/migrations');
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {}

function checkApplied(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const [name, checksum] of applied) {
    const m = migrations.find((x) => x.name === name);
    if (m && m.checksum !== checksum) {
      throw new MigrationError(`Migration ${name} was changed after it was applied (checksum differs). Add a new migration instead.`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

function migrateSqlite(url: string, migrations: Migration[]): string[] {
  const path = sqlitePath(url);
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
    const done: string[] = [];
    // IMMEDIATE takes the write lock first, so two processes starting at once apply each file once.
    const run = db.transaction(() => {
      const rows = db.prepare('SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL').all() as { migration_name: string; checksum: string }[];
      for (const m of checkApplied(new Map(rows.map((r) => [r.migration_name, r.checksum])), migrations)) {
        const started = new Date().toISOString();
        db.exec(m.sql);
        db.prepare('INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)').run(
          randomUUID(), m.checksum, new Date().toISOString(), m.name, started,
        );
        done.push(m.name);
      }
    });
    run.immediate();
    return done;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Several instances may start together: one applies, the others wait.
    await client.query('SELECT pg_advisory_lock(72707369)');
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const done: string[] = [];
    for (const m of checkApplied(new Map(rows.map((r) => [r.migration_name, r.checksum])), migrations)) {
      await client.query('BEGIN');
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)',
          [randomUUID(), m.checksum, m.name, started],
        );
        await client.query('COMMIT');
        done.push(m.name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new MigrationError(`Migration ${m.name} failed: ${(err as Error).message}`);
      }
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock(72707369)').catch(() => undefined);
    await client.end();
  }
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(url: string, root = process.cwd()): Promise<string[]> {
  const migrations = readMigrations(migrationsDir(root, url));
  if (migrations.length === 0) throw new MigrationError(`No migrations found under ${migrationsDir(root, url)}`);
  return isPostgresUrl(url) ? migratePostgres(url, migrations) : migrateSqlite(url, migrations);
}
