import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import { layerRules } from './layers.eslint.mjs';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: ['.next/**', 'node_modules/**', 'lib/db/generated/**', 'data/**', 'test-results/**', 'playwright-report/**', 'dist/**', 'next-env.d.ts'],
  },
  {
    files: ['lib/twin/**'],
    rules: {
      // The twin never imports the product's clients or capabilities, or it would prove nothing.
      'no-restricted-imports': ['error', { patterns: ['../azure', '../azure/*', '../topology', '../power', '../db', '../db/*', '../actions/*', '@azure/*', '@/lib/azure*', '@/lib/power*', '@/lib/topology*'] }],
    },
  },
  {
    files: ['app/**', 'components/**'],
    rules: {
      // Routes are thin; SDKs and SQL live behind lib/<capability>.
      'no-restricted-imports': ['error', { patterns: ['@azure/*', '@kubernetes/*', 'better-sqlite3', 'pg', '@prisma/*', '@/lib/db', '@/lib/db/*', '@/lib/twin/*'] }],
    },
  },
  // The layer map (layers.config.mjs) as lint rules.
  ...layerRules(),
  {
    // Playwright fixtures take a `use` callback; it is not React's hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
];

export default config;
