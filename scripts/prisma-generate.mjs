#!/usr/bin/env node
// Generates the Prisma clients offline (`prisma generate` needs
// PRISMA_SCHEMA_ENGINE_BINARY to name an existing file, or it tries to download
// the schema engine). Also derives the PostgreSQL schema from the SQLite one.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function derivePostgresSchema(sqliteSchema) {
  return sqliteSchema
    .replace('output       = "../lib/db/generated/sqlite"', 'output       = "../../lib/db/generated/postgresql"')
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(/^\/\/ SQLite is the default database\.[\s\S]*?\n(?=generator)/m,
      '// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs: do not edit.\n');
}

function main() {
  const sqlite = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
  mkdirSync(join(root, 'prisma/postgresql'), { recursive: true });
  writeFileSync(join(root, 'prisma/postgresql/schema.prisma'), derivePostgresSchema(sqlite));

  let engine = process.env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (!engine || !existsSync(engine)) {
    engine = join(tmpdir(), 'prisma-schema-engine-placeholder');
    writeFileSync(engine, '');
  }
  const prismaBin = join(root, 'node_modules/prisma/build/index.js');
  for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
    const r = spawnSync(process.execPath, [prismaBin, 'generate', '--schema', schema], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: engine, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
