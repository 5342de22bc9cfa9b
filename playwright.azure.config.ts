import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import base, { E2E_PORT, E2E_TWIN_PORT } from './playwright.config';

/**
 * The same end-to-end suite, with the product started as it is against Azure (`TARGET=azure`,
 * `@azure/identity`'s DefaultAzureCredential, Entra ID sign-in), its ARM endpoint and both identity
 * authorities pointed at the twin. The twin runs as its own process, checks every bearer token as
 * ARM and AKS do, and is trusted through NODE_EXTRA_CA_CERTS, as a user rehearsing their settings
 * would run it. The specs' twin controls (reset, faults) are the twin's admin surface, as on the
 * twin target.
 */
const TWIN_URL = `https://127.0.0.1:${E2E_TWIN_PORT}`;
/** The twin's demo tenant and application (lib/twin/oidc), standing in for the user's own. */
const TENANT = '7a1e0d3c-0000-4000-8000-00000000d3e0';
const CLIENT_ID = 'a6d2c0de-0000-4000-8000-00000000da5b';
const CLIENT_SECRET = 'twin-demo-client-secret';

const shared = { reuseExistingServer: false, timeout: 120_000, stdout: 'pipe' as const, stderr: 'pipe' as const };

export default defineConfig({
  ...base,
  webServer: [
    {
      ...shared,
      // A fresh database and twin for every run; the twin writes its CA before the app starts.
      command: `node -e "require('fs').rmSync('data/e2e',{recursive:true,force:true})" && node --import tsx lib/twin/main.ts`,
      url: `${TWIN_URL}/_twin/health`,
      ignoreHTTPSErrors: true,
      env: {
        TWIN_PORT: String(E2E_TWIN_PORT),
        TWIN_BROWSER_PORT: String(E2E_TWIN_PORT + 1),
        TWIN_DATA_DIR: 'data/e2e/twin',
        TWIN_CLOCK_SPEED: '120',
        TWIN_CHECK_TOKENS: 'true',
      },
    },
    {
      ...shared,
      command: 'node --import tsx scripts/run.ts',
      url: `http://localhost:${E2E_PORT}`,
      env: {
        TARGET: 'azure',
        AZURE_SUBSCRIPTION_ID: '00000000-0000-4000-8000-00000000d3e0',
        ARM_ENDPOINT: TWIN_URL,
        ARM_AUDIENCE: 'https://management.azure.com',
        // The app's own Azure credential (DefaultAzureCredential reads these) …
        AZURE_AUTHORITY_HOST: TWIN_URL,
        AZURE_TENANT_ID: TENANT,
        AZURE_CLIENT_ID: CLIENT_ID,
        AZURE_CLIENT_SECRET: CLIENT_SECRET,
        // … and the users' sign-in (OpenID Connect).
        AUTH_AUTHORITY: TWIN_URL,
        AUTH_TENANT_ID: TENANT,
        AUTH_CLIENT_ID: CLIENT_ID,
        AUTH_CLIENT_SECRET: CLIENT_SECRET,
        // Azure Monitor's data planes (the regional metrics endpoint, Log Analytics and its workspace) are the twin's too.
        MONITOR_METRICS_ENDPOINT: TWIN_URL,
        MONITOR_LOGS_ENDPOINT: TWIN_URL,
        LOG_ANALYTICS_WORKSPACE_ID: '00000000-0000-4000-8000-00000000a1a0',
        NODE_EXTRA_CA_CERTS: resolve('data/e2e/twin/twin-ca.pem'),
        PORT: String(E2E_PORT),
        DATABASE_URL: 'file:./data/e2e/app.db',
        // The twin makes AKS's minutes seconds: poll and refresh as on the twin target.
        TWIN_CLOCK_SPEED: '120',
        ARM_POLL_INTERVAL_MS: '500',
        COST_REFRESH_MINUTES: '2',
        READ_CACHE_TTL_MS: '1000',
        MONITOR_REFRESH_SECONDS: '5',
        SCHEDULER_TICK_MS: '1000',
        SCHEDULE_DEFAULTS_ENABLED: 'false',
        // Every test signs in from this one address.
        SIGN_INS_PER_MINUTE: '1000',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
