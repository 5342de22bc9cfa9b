import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../../test/twin-harness';
import type { Twin } from '../../test/twin-harness';

let twin: Twin;
let schedule: typeof import('./index');
let cache: typeof import('../cache/shared-read');

beforeAll(async () => {
  ({ twin } = await startHarness());
  schedule = await import('./index');
  cache = await import('../cache/shared-read');
});
afterAll(async () => {
  await twin.close();
});

async function admin(body: unknown) {
  const ext = twin.extensions.find((e) => e.name === 'automation')!;
  const res = { writeHead: () => res, end: () => res } as unknown as import('node:http').ServerResponse;
  await ext.admin!(twin.context, { method: 'POST', url: new URL('https://x/_twin/automation/schedules'), body: JSON.stringify(body), headers: {} }, res);
  cache.sharedReads().clear();
}

describe('Azure Automation schedules next to the dashboard’s', () => {
  it('reads the runbook schedules through ARM and warns when both sides power down and disagree', async () => {
    await schedule.seedDefaultSchedules(true, new Date('2026-11-26T00:00:00Z'));
    const data = await schedule.listSchedules(new Date('2026-11-26T00:00:00Z'));
    expect(data.automation).toMatchObject({ status: 'ok', account: 'aa-k8s-demo-power' });
    if (data.automation.status !== 'ok') throw new Error('unreachable');
    expect(data.automation.schedules.map((s) => [s.name, s.action, s.time, s.days.length])).toEqual([
      ['nightly-power-down', 'stop', '22:00', 7],
      ['morning-power-up', 'start', '09:00', 5],
    ]);
    // The dashboard's night stop runs on weekdays, the runbook every day: they disagree.
    expect(data.warnings.some((w) => /nightly-power-down.*disagree/.test(w))).toBe(true);
    // The morning starts agree: both run, so keep one.
    expect(data.warnings.some((w) => /morning-power-up.*keep one source of truth/.test(w))).toBe(true);
  });

  it('says nothing when the runbook schedules are disabled, and reports an absent account as such', async () => {
    await admin({ name: 'nightly-power-down', isEnabled: false });
    await admin({ name: 'morning-power-up', isEnabled: false });
    expect((await schedule.listSchedules()).warnings.filter((w) => /Azure Automation/.test(w))).toEqual([]);
    await admin({ present: false });
    expect((await schedule.listSchedules()).automation.status).toBe('absent');
  });

  it('shows a failing Automation API as failed, the rest still listed', async () => {
    await admin({ present: true });
    twin['faults'].push({ path: '/automationAccounts/', status: 500, code: 'InternalServerError', message: 'automation down' });
    const data = await schedule.listSchedules();
    expect(data.automation).toMatchObject({ status: 'failed' });
    expect(data.schedules.length).toBeGreaterThan(0);
    twin['faults'].length = 0;
  });
});
