import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from './migrate';
import { startPostgres } from '../../test/postgres';
// @ts-expect-error -- a plain .mjs script without types
import { derivePostgresSchema } from '../../scripts/prisma-generate.mjs';

/**
 * schema.prisma and the hand-written migrations must describe the same
 * database: every model's columns (type class, nullability), primary key and
 * indexes, compared with the catalogue of a database the migrations built.
 */
interface DmmfField { name: string; kind: string; type: string; isRequired: boolean; isId: boolean; isList: boolean }
interface DmmfModel { name: string; fields: DmmfField[]; primaryKey?: { fields: string[] } | null }
interface DmmfIndex { model: string; type: 'id' | 'normal' | 'unique'; fields: { name: string }[] }

const root = resolve('.');

function dmmf(schemaPath: string) {
  const schema = readFileSync(schemaPath, 'utf8');
  const d = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as {
    datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
  };
  return d.datamodel;
}

type Column = { name: string; type: string; notNull: boolean; pk: boolean };
interface Catalogue { tables: Map<string, Column[]>; indexes: Set<string> }

const typeClass: Record<string, string[]> = {
  String: ['TEXT'],
  Int: ['INTEGER'],
  DateTime: ['DATETIME', 'TIMESTAMP(3) WITHOUT TIME ZONE', 'TIMESTAMP WITHOUT TIME ZONE'],
  Boolean: ['BOOLEAN'],
  Float: ['REAL', 'DOUBLE PRECISION'],
  BigInt: ['BIGINT'],
  Json: ['JSONB', 'TEXT'],
};

function expectSame(model: { models: DmmfModel[]; indexes: DmmfIndex[] }, cat: Catalogue) {
  const modelNames = model.models.map((m) => m.name).sort();
  expect([...cat.tables.keys()].filter((t) => t !== '_prisma_migrations').sort()).toEqual(modelNames);
  for (const m of model.models) {
    const cols = cat.tables.get(m.name)!;
    const scalar = m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    expect(cols.map((c) => c.name).sort(), `columns of ${m.name}`).toEqual(scalar.map((f) => f.name).sort());
    for (const f of scalar) {
      const c = cols.find((x) => x.name === f.name)!;
      expect(typeClass[f.type] ?? [f.type], `${m.name}.${f.name} type`).toContain(c.type.toUpperCase());
      expect(c.notNull || c.pk, `${m.name}.${f.name} NOT NULL`).toBe(f.isRequired);
      expect(c.pk, `${m.name}.${f.name} primary key`).toBe(f.isId || (m.primaryKey?.fields.includes(f.name) ?? false));
    }
  }
  const expectedIndexes = model.indexes
    .filter((i) => i.type !== 'id')
    .map((i) => `${i.model}(${i.fields.map((f) => f.name).join(',')})${i.type === 'unique' ? ' unique' : ''}`)
    .sort();
  expect([...cat.indexes].sort()).toEqual(expectedIndexes);
}

function sqliteCatalogue(path: string): Catalogue {
  const db = new Database(path, { readonly: true });
  const tables = new Map<string, Column[]>();
  const indexes = new Set<string>();
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  for (const { name } of names) {
    const info = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
    tables.set(name, info.map((c) => ({ name: c.name, type: c.type, notNull: c.notnull === 1, pk: c.pk > 0 })));
    if (name === '_prisma_migrations') continue;
    const list = db.prepare(`PRAGMA index_list("${name}")`).all() as { name: string; unique: number; origin: string }[];
    for (const idx of list.filter((i) => i.origin === 'c')) {
      const cols = (db.prepare(`PRAGMA index_info("${idx.name}")`).all() as { name: string }[]).map((c) => c.name);
      indexes.add(`${name}(${cols.join(',')})${idx.unique ? ' unique' : ''}`);
    }
  }
  db.close();
  return { tables, indexes };
}

describe('SQLite: schema.prisma and prisma/migrations agree', () => {
  it('builds the schema the models describe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-test-'));
    const url = `file:${join(dir, 'db.sqlite')}`;
    const applied = await migrate(url, root);
    expect(applied).toEqual(readMigrations(join(root, 'prisma/migrations')).map((m) => m.name));
    expectSame(dmmf(join(root, 'prisma/schema.prisma')), sqliteCatalogue(url.slice(5)));
    // A second run applies nothing.
    expect(await migrate(url, root)).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schema-test-'));
    const path = join(dir, 'db.sqlite');
    await migrate(`file:${path}`, root);
    const db = new Database(path);
    db.prepare('UPDATE "_prisma_migrations" SET checksum = ?').run('0'.repeat(64));
    db.close();
    await expect(migrate(`file:${path}`, root)).rejects.toThrow(/changed after it was applied/);
  });

  it('the PostgreSQL schema is derived from the SQLite one, and both migration folders name the same steps', () => {
    const sqlite = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
    expect(readFileSync(join(root, 'prisma/postgresql/schema.prisma'), 'utf8')).toBe(derivePostgresSchema(sqlite));
    expect(readMigrations(join(root, 'prisma/postgresql/migrations')).map((m) => m.name)).toEqual(
      readMigrations(join(root, 'prisma/migrations')).map((m) => m.name),
    );
  });
});

describe('PostgreSQL: schema and prisma/postgresql/migrations agree', () => {
  let pgServer: { url: string; stop: () => void };
  let url = '';
  beforeAll(() => {
    pgServer = startPostgres();
    url = pgServer.url;
  }, 60_000);
  afterAll(() => pgServer?.stop());

  it('builds the schema the models describe', async () => {
    expect(await migrate(url, root)).toEqual(readMigrations(join(root, 'prisma/postgresql/migrations')).map((m) => m.name));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const cols = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; datetime_precision: number | null }>(
        `SELECT table_name, column_name, upper(data_type) AS data_type, is_nullable, datetime_precision FROM information_schema.columns WHERE table_schema = 'public'`,
      );
      const pks = await client.query<{ table_name: string; column_name: string }>(
        `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'`,
      );
      const idx = await client.query<{ tablename: string; indexdef: string }>(`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`);
      const tables = new Map<string, Column[]>();
      for (const c of cols.rows) {
        const type = c.data_type === 'TIMESTAMP WITHOUT TIME ZONE' && c.datetime_precision === 3 ? 'TIMESTAMP(3) WITHOUT TIME ZONE' : c.data_type;
        const list = tables.get(c.table_name) ?? [];
        list.push({ name: c.column_name, type, notNull: c.is_nullable === 'NO', pk: pks.rows.some((p) => p.table_name === c.table_name && p.column_name === c.column_name) });
        tables.set(c.table_name, list);
      }
      const indexes = new Set(
        idx.rows
          .filter((i) => i.tablename !== '_prisma_migrations')
          .map((i) => {
            const colsPart = /\((.*)\)/.exec(i.indexdef)![1].replace(/"/g, '').split(',').map((s) => s.trim()).join(',');
            return `${i.tablename}(${colsPart})${/UNIQUE INDEX/.test(i.indexdef) ? ' unique' : ''}`;
          }),
      );
      expectSame(dmmf(join(root, 'prisma/postgresql/schema.prisma')), { tables, indexes });
    } finally {
      await client.end();
    }
  });
});
