import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate` (offline). Migrations are applied by
// lib/db/migrate.ts, because Prisma's native schema engine cannot be downloaded here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
