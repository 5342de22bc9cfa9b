import { describe, expect, it } from 'vitest';
import { addonApplyRefusal, boundPlan, diffRelease, manifestObjects, planTotals, planTotalsLine, type AddonPlanSummary } from './addon-plan';

const deployment = (name: string, chart: string, image: string) =>
  `---\n# Source: ${chart}/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: reloader\n  labels:\n    helm.sh/chart: ${chart}\nspec:\n  template:\n    spec:\n      containers:\n        - image: ${image}\n`;
const secret = (value: string) => `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: reloader\ndata:\n  token: ${value}\n`;
const sa = '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: reloader\n  namespace: reloader\n';

describe('the manifest diff of an add-on plan', () => {
  it('keys objects by kind, namespace and name, and leaves Secrets out', () => {
    expect([...manifestObjects(deployment('a', 'c-1', 'i:1') + secret('c2VjcmV0') + sa).keys()]).toEqual(['Deployment reloader/a', 'ServiceAccount reloader/reloader']);
    expect(manifestObjects('')).toEqual(new Map());
  });

  it('shows both versions, counts changed objects and lines; a reordered chart or a changed Secret is no change', () => {
    const d = diffRelease({
      release: 'reloader', namespace: 'reloader', chart: 'reloader', installed: '2.2.10', pinned: '2.2.16',
      old: sa + deployment('reloader', 'reloader-2.2.10', 'ghcr.io/stakater/reloader:v1.4.0') + secret('b2xk'),
      new: deployment('reloader', 'reloader-2.2.16', 'ghcr.io/stakater/reloader:v1.4.21') + sa + secret('bmV3'),
    });
    expect(d.patch).toContain('reloader reloader-2.2.10 (installed)');
    expect(d.patch).toContain('reloader reloader-2.2.16 (pinned)');
    expect(d.patch).toContain('-    helm.sh/chart: reloader-2.2.10');
    expect(d.patch).toContain('+        - image: ghcr.io/stakater/reloader:v1.4.21');
    expect(d.patch).not.toMatch(/b2xk|bmV3/);
    expect(d).toMatchObject({ objectsChanged: 1, added: 3, removed: 3, truncated: false });
    expect(planTotalsLine(planTotals([d, d]))).toBe('2 objects changed, +6 −6 lines');
  });

  it('a release not installed is all added', () => {
    const d = diffRelease({ release: 'vpa', namespace: 'vpa', chart: 'vpa', installed: null, pinned: '5.0.0', old: '', new: sa + deployment('vpa', 'vpa-5.0.0', 'i:1') });
    expect(d.patch).toContain('vpa (not installed)');
    expect(d).toMatchObject({ objectsChanged: 2, removed: 0 });
    expect(d.added).toBeGreaterThan(10);
  });

  it('bounds: a release\'s patch is cut at a line end, the plan\'s patches together too; the counts stay those of the whole diff', () => {
    const many = (v: string) => Array.from({ length: 200 }, (_, i) => deployment(`d${i}`, `c-${v}`, `i:${v}`)).join('');
    const d = diffRelease({ release: 'r', namespace: 'n', chart: 'c', installed: '1', pinned: '2', old: many('1'), new: many('2') }, 2_000);
    expect(d.truncated).toBe(true);
    expect(d.patch.length).toBeLessThanOrEqual(2_000);
    expect(d.patch.endsWith('\n')).toBe(true);
    expect(d).toMatchObject({ objectsChanged: 200, added: 600, removed: 600 });
    const full = diffRelease({ release: 'r', namespace: 'n', chart: 'c', installed: '1', pinned: '2', old: many('1'), new: many('2') }, Infinity);
    const [a, b] = boundPlan([full, full], full.patch.length + 100);
    expect(a.truncated).toBe(false);
    expect(b.truncated).toBe(true);
    expect(b.patch.length).toBeLessThanOrEqual(100);
    expect(b.added).toBe(600);
  });
});

describe('when an add-on plan may be applied', () => {
  const finishedAt = new Date('2026-12-01T10:00:00Z');
  const summary: AddonPlanSummary = {
    type: 'addon-plan', cluster: 'app1', addon: '03-reloader', inputs: 'h1',
    releases: [{ release: 'reloader', namespace: 'reloader', chart: 'reloader', installed: '2.2.10', pinned: '2.2.16', patch: '', objectsChanged: 1, added: 1, removed: 1, truncated: false }],
  };
  const check = (over: Partial<Parameters<typeof addonApplyRefusal>[0]> = {}) => addonApplyRefusal({
    plan: { status: 'succeeded', finishedAt, summary }, pinsNow: new Map([['reloader', '2.2.16']]), inputsNow: 'h1', now: new Date(finishedAt.getTime() + 60_000), ...over,
  });

  it('a fresh, succeeded plan whose pins and inputs are unchanged may be applied', () => expect(check()).toBeNull());
  it('a failed plan may not', () => expect(check({ plan: { status: 'failed', finishedAt, summary: null } })).toContain('succeeded'));
  it('a plan older than the bound may not', () => expect(check({ now: new Date(finishedAt.getTime() + 31 * 60_000) })).toContain('31 min old'));
  it('changed pins may not, and say which', () => {
    expect(check({ pinsNow: new Map([['reloader', '2.2.17']]) })).toContain('reloader 2.2.16 → 2.2.17');
    expect(check({ pinsNow: new Map([['reloader', '2.2.16'], ['extra', '1']]) })).toContain('extra (new)');
  });
  it('a changed script or values file may not', () => expect(check({ inputsNow: 'h2' })).toContain('changed since the plan'));
});
