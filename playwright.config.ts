import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests in Debian's Chromium (`npx playwright install`
 * cannot download a browser here) against the real app and the twin.
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_TWIN_PORT = Number(process.env.E2E_TWIN_PORT ?? 4543);

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  // One app and one twin: tests share their state, so they run one at a time.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], viewport: { width: 1600, height: 1000 } } }],
  webServer: {
    // A fresh database and twin for every run.
    command: `node -e "require('fs').rmSync('data/e2e',{recursive:true,force:true})" && node --import tsx scripts/run.ts`,
    url: `http://localhost:${E2E_PORT}`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      TWIN_PORT: String(E2E_TWIN_PORT),
      TWIN_BROWSER_PORT: String(E2E_TWIN_PORT + 1),
      TWIN_DATA_DIR: 'data/e2e/twin',
      DATABASE_URL: 'file:./data/e2e/app.db',
      TWIN_CLOCK_SPEED: '120',
      READ_CACHE_TTL_MS: '1000',
      // Azure Monitor's reads refresh every 5 s (the shortest the setting allows) to keep pace with the twin's clock.
      MONITOR_REFRESH_SECONDS: '5',
      TARGET: 'twin',
      SCHEDULER_TICK_MS: '1000',
      SCHEDULE_DEFAULTS_ENABLED: 'false',
      // Every test signs in from this one address.
      SIGN_INS_PER_MINUTE: '1000',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
