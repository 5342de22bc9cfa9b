import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { startHarness } from '@/test/twin-harness';

// The client leaves call useRouter; outside Next's app router a stub stands in.
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined }) }));

let twin: Awaited<ReturnType<typeof startHarness>>['twin'];
let url: string;

beforeAll(async () => {
  ({ twin, url } = await startHarness({ profile: 'manual' }));
});

afterAll(async () => {
  await twin.close();
});

const noop = async () => ({ ok: true as const, data: null });

async function render(deniedReason?: string) {
  const { sharedReads } = await import('@/lib/cache/shared-read');
  const { getBackupPage } = await import('@/lib/backup');
  const { BackupPermissionNote, BackupView } = await import('./backup-view');
  sharedReads().clear();
  const data = await getBackupPage();
  return (
    renderToStaticMarkup(createElement(BackupPermissionNote, { deniedReason })) +
    renderToStaticMarkup(createElement(BackupView, { data, realNow: Date.now(), actions: { backUpNow: noop, restoreLatest: noop }, deniedReason }))
  );
}

describe('BackupView with the twin’s answers', () => {
  it('shows each cluster’s RPO, schedule, jobs and recovery points with their tier, the vault and the DR table', async () => {
    const html = await render();
    for (const name of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
      expect(html).toContain(`aria-label="backup ${name}"`);
      expect(html).toContain(`aria-label="jobs ${name}"`);
      expect(html).toContain(`aria-label="recovery points ${name}"`);
    }
    expect(html.match(/aria-label="RPO status"[^>]*>green</g)).toHaveLength(3);
    // In the stated zone (Asia/Seoul by default), named, with the instant (02:00 UTC) in the element.
    expect(html).toMatch(/aria-label="next scheduled run"><span class="whitespace-nowrap"><time dateTime="\d{4}-\d\d-\d\dT02:00:00.000Z" data-zone="Asia\/Seoul">\d{4}-\d\d-\d\d 11:00:00 Asia\/Seoul<\/time>/);
    expect(html).toMatch(/aria-label="last good backup">[\d.]+ (h|min \d+ s) ago, against a 24 h RPO/);
    expect(html).toContain('aria-label="vault redundancy">ZoneRedundant<');
    expect(html).toContain('covers the <strong>vault tier</strong> only');
    expect(html).toContain('0 of 21 recovery points listed are in the vault tier');
    expect(html).toContain('P7D in OperationalStore (operational tier)');
    expect(html.match(/<td class="pr-3">operational<\/td>/g)).toHaveLength(21);
    expect(html).toMatch(/aria-label="scenario AKS cluster failure".*?>recoverable</);
    expect(html).toMatch(/aria-label="scenario Region failure".*?>not recoverable</);
    expect(html).not.toContain('role="alert"');
  });

  it('a Reader sees the buttons disabled and why', async () => {
    const html = await render('Needs the Operator role (you are Reader).');
    expect(html.match(/<button[^>]*disabled=""[^>]*title="Needs the Operator role \(you are Reader\)\."[^>]*>Back up now</g)).toHaveLength(3);
    expect(html.match(/<button[^>]*disabled=""[^>]*title="Needs the Operator role \(you are Reader\)\."[^>]*>Restore latest</g)).toHaveLength(3);
    expect(html).toContain('Backing up and restoring are not available to you');
  });

  it('an Operator may restore each cluster from its newest recovery point, named with its time beside the button', async () => {
    const html = await render();
    expect(html.match(/<button[^>]*>Restore latest</g)).toHaveLength(3);
    expect(html).not.toMatch(/<button[^>]*disabled=""[^>]*>Restore latest</);
    for (const name of ['aks-mgmt', 'aks-app1', 'aks-app2']) {
      expect(html).toMatch(new RegExp(`aria-label="restore point ${name}"[^>]*>from <span class="whitespace-nowrap"><time dateTime="[^"]+" data-zone="Asia/Seoul">\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d Asia/Seoul</time></span> \\(operational\\)`));
    }
  });

  it('a failing Data Protection API shows as failed; the cluster tiles and DR rows that do not need it still render', async () => {
    await fetch(`${url}/_twin/faults`, { method: 'POST', body: JSON.stringify({ path: 'Microsoft.DataProtection', status: 503, code: 'ServiceUnavailable', message: 'Data Protection is down' }) });
    try {
      const html = await render();
      expect(html).toContain('Data Protection API (vault): unavailable (ServiceUnavailable: Azure failed (503): Data Protection is down)');
      expect(html).toContain('aria-label="backup aks-app2"');
      expect(html.match(/aria-label="RPO status"[^>]*>unknown</g)).toHaveLength(3);
      expect(html).toMatch(/aria-label="scenario Zone failure".*?>recoverable</);
      expect(html).toMatch(/aria-label="scenario AKS cluster failure".*?>unknown</);
    } finally {
      await fetch(`${url}/_twin/faults`, { method: 'DELETE' });
    }
  });

  it('after a restore is asked for, its card says from which point and by whom, and then how its job stands', async () => {
    const { restoreLatest } = await import('@/lib/backup');
    const accepted = await restoreLatest({ cluster: 'app1' }, { name: 'Olive Operator' });
    const html = await render();
    expect(html).toMatch(
      new RegExp(`aria-label="restore progress aks-app1"[^>]*>Restore from the recovery point of <span class="whitespace-nowrap"><time dateTime="${new Date(accepted.recoveryPoint.time).toISOString()}"[^<]*</time></span>, requested by Olive Operator: (job |waiting for Data Protection)`),
    );
    expect(html).not.toContain('aria-label="restore progress aks-app2"');
  });
});
