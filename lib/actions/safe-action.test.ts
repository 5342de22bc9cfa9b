import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { migrate } from '../db/migrate';

/**
 * Anyone can call an action, so a refused call must not be a way to fill the
 * database: 100 anonymous calls of 900 KB once grew it by 88 MB.
 */
const request = vi.hoisted(() => ({ headers: new Headers(), cookies: new Map<string, string>() }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name)! } : undefined) }),
  headers: async () => request.headers,
}));

let lib: {
  defineAction: typeof import('./safe-action').defineAction;
  RefusalGate: typeof import('./refusals').RefusalGate;
  db: typeof import('../db');
  session: typeof import('../auth/session');
};

beforeAll(async () => {
  const url = `file:${join(mkdtempSync(join(tmpdir(), 'safe-action-')), 'a.db')}`;
  process.env.DATABASE_URL = url;
  await migrate(url, resolve('.'));
  lib = {
    defineAction: (await import('./safe-action')).defineAction,
    RefusalGate: (await import('./refusals')).RefusalGate,
    db: await import('../db'),
    session: await import('../auth/session'),
  };
});

const audits = (action: string) => lib.db.getDb().auditEntry.findMany({ where: { action } });

describe('refused calls', () => {
  it('100 anonymous calls of 900 KB leave one small audit record and are then answered "too many"', async () => {
    const run = vi.fn(async () => 'done');
    const action = lib.defineAction({ name: 'test.flood', role: 'Operator', input: z.object({ cluster: z.string() }), target: () => 'x', run });
    request.cookies.clear();
    request.headers = new Headers({ 'x-forwarded-for': '203.0.113.7' });
    const blob = 'x'.repeat(900_000);
    const results = [];
    for (let i = 0; i < 100; i++) results.push(await action({ cluster: blob }));
    expect(run).not.toHaveBeenCalled();
    expect(results[0]).toMatchObject({ ok: false, error: { kind: 'unauthenticated' } });
    expect(results[99]).toMatchObject({ ok: false, error: { kind: 'throttled' } });
    const rows = await audits('test.flood');
    expect(rows).toHaveLength(1);
    expect(rows[0].params.length).toBeLessThanOrEqual(4096);
  });

  it('anonymous callers rotating their address are recorded at most a fixed number of times a window', async () => {
    const action = lib.defineAction({ name: 'test.rotate', role: 'Reader', input: z.object({}), target: () => 'x', run: async () => 1 });
    request.cookies.clear();
    for (let i = 0; i < 60; i++) {
      request.headers = new Headers({ 'x-forwarded-for': `spoofed-${i}` });
      await action({});
    }
    expect((await audits('test.rotate')).length).toBeLessThanOrEqual(20);
  });

  it('refuses an oversized input before parsing it, recording only its size', async () => {
    const { token } = await lib.session.createSession({ userId: 'op-1', userName: 'Olivia Operator', loginName: 'op', tenantId: 't', role: 'Operator' });
    request.cookies.set('aksdemo_session', token);
    const parse = vi.fn((v: unknown) => v);
    const action = lib.defineAction({ name: 'test.large', role: 'Operator', input: z.any().transform(parse), target: () => 'x', run: async () => 1 });
    const r = await action({ note: 'y'.repeat(20_000) });
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('too large') } });
    expect(parse).not.toHaveBeenCalled();
    const [row] = await audits('test.large');
    expect(JSON.parse(row.params)).toEqual({ size: 20_011 });
  });
});

describe('an action on a slow upstream', () => {
  it('answers "in progress" at its deadline, finishes in the background and is audited when it ends', async () => {
    const { token } = await lib.session.createSession({ userId: 'op-2', userName: 'Olivia Operator', loginName: 'op', tenantId: 't', role: 'Operator' });
    request.cookies.set('aksdemo_session', token);
    const action = lib.defineAction({
      name: 'test.slow',
      role: 'Operator',
      input: z.object({}),
      target: () => 'app1',
      run: () => new Promise<string>((resolve) => setTimeout(() => resolve('done'), 2_000)),
      answerWithin: { ms: 50, pending: () => 'in progress' },
    });
    const started = Date.now();
    expect(await action({})).toEqual({ ok: true, data: 'in progress' });
    // Answered at the deadline, long before the run ends (2 s), with room for a loaded machine.
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await audits('test.slow')).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await audits('test.slow')).map((r) => r.result)).toEqual(['ok']);
  });
});

describe('RefusalGate', () => {
  it('records the first refusal of a window and reports how many were not recorded before the next', async () => {
    const gate = new lib.RefusalGate({ windowS: 1, perCaller: 1000, anonymousRecords: 1000 });
    const caller = { address: '198.51.100.1' };
    const first = await Promise.all(Array.from({ length: 10 }, () => gate.refuse(caller, 'a')));
    expect(first.filter((d) => d.record)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1100));
    const next = await gate.refuse(caller, 'a');
    expect(next).toMatchObject({ record: true, suppressed: 9 });
  });

  it('counts signed-in users by who they are, not where they are', async () => {
    const gate = new lib.RefusalGate({ windowS: 60, perCaller: 3, anonymousRecords: 100 });
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await gate.refuse({ userId: 'u1', address: `a${i}` }, 'x'));
    expect(decisions.map((d) => d.throttled)).toEqual([false, false, false, true]);
    expect((await gate.refuse({ userId: 'u2', address: 'a0' }, 'x')).throttled).toBe(false);
  });
});
