import { describe, expect, it } from 'vitest';
import { DEFAULT_NAMES, seedEnvironment } from '../seed';
import { Ledger, seedHistory } from './ledger';
import { structureOf } from './meters';
import { QpuMeter } from './qpu';

const H = 3_600_000;
const SUB = '00000000-0000-4000-8000-00000000d3e0';

function awake(profile: 'nap' | 'manual') {
  return structureOf(seedEnvironment(profile).clusters, DEFAULT_NAMES, true);
}

describe('the twin ledger', () => {
  it('seeds pattern A sessions on days 1, 4, 7 … and the current deployment, from the same meters', () => {
    const now = Date.UTC(2026, 10, 26, 12); // 26 Nov, 21:00 KST
    const ledger = new Ledger(SUB, 'rg-k8s-demo-common');
    const s = awake('nap');
    const createdAt = seedHistory(ledger, now, s);
    ledger.switchTo(createdAt, s);
    expect(createdAt).toBe(now - 3 * H);
    // Sessions on 1, 4, 7, 10, 13, 16, 19, 22, 25 November (2.5 h each), then 3 h now.
    expect(ledger.segments).toHaveLength(10);
    const rate = ledger.rateNow();
    // NAP awake: the architecture's core 2.2104 + ACR, Key Vault, 3 × Prometheus, 3 × backup, 2 × disks, 5 + 1 public IPs, Bastion.
    expect(rate).toBeCloseTo(2.2104 + 0.167 / 24 + (1 + 3 + 3 + 2) / 730 + 6 * 0.005 + 0.19, 10);
    expect(ledger.total(Date.UTC(2026, 10, 1), now)).toBeCloseTo((9 * 2.5 + 3) * rate, 9);
    // Nothing bills between sessions (torn down).
    expect(ledger.total(Date.UTC(2026, 10, 2), Date.UTC(2026, 10, 4))).toBe(0);
  });

  it('a stop splits the bill: the cluster stops billing from the event, the rest goes on', () => {
    const ledger = new Ledger(SUB, 'rg-k8s-demo-common');
    const s = awake('manual');
    const t0 = Date.UTC(2026, 10, 20, 0);
    ledger.switchTo(t0, s);
    const full = ledger.rateNow();
    const stopped = { ...s, clusters: s.clusters.map((c) => (c.key === 'app2' ? { ...c, running: false } : c)) };
    ledger.switchTo(t0 + 2 * H, stopped);
    ledger.switchTo(t0 + 2 * H, stopped); // the same structure again changes nothing
    expect(ledger.segments).toHaveLength(2);
    const low = ledger.rateNow();
    expect(full - low).toBeCloseTo(0.1 + 3 * 0.096 + 3 * 0.019 + 0.025 + 12 * 0.0094 + 1 / 730, 10);
    expect(ledger.total(t0, t0 + 5 * H)).toBeCloseTo(2 * full + 3 * low, 9);
    const app2 = (m: { resourceGroup: string }) => m.resourceGroup.toLowerCase().includes('app2');
    // app2 stopped: its outbound public IP and its app disk still bill.
    expect(ledger.rateNow(app2)).toBeCloseTo(0.005 + 1 / 730, 10);
  });
});

describe('QPU meter', () => {
  it('12 per 10 s, 60 per minute, 600 per hour, with the time to wait', () => {
    let now = 0;
    const m = new QpuMeter(() => now);
    for (let i = 0; i < 12; i++) expect(m.charge(1).ok).toBe(true);
    const refused = m.charge(1);
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 10 });
    now = 4_000;
    expect(m.charge(1)).toMatchObject({ ok: false, retryAfterSeconds: 6 });
    now = 10_001;
    const ok = m.charge(12);
    expect(ok.ok).toBe(true);
    expect(ok.headers['x-ms-ratelimit-microsoft.costmanagement-qpu-consumed']).toBe('12');
    // 24 in the last minute; 36 more in the next 10-second windows reach 60.
    for (const t of [20_002, 30_003, 40_004]) {
      now = t;
      expect(m.charge(12).ok).toBe(true);
    }
    now = 55_000; // the 10-second window has room again, the minute has not
    const minute = m.charge(12);
    expect(minute.ok).toBe(false);
    if (!minute.ok) expect(minute.retryAfterSeconds).toBe(5); // the first 12 (at 0 s) age out of the minute at 60 s
  });
});
