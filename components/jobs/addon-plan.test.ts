import { describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { diffRelease, type AddonPlanSummary } from '@/lib/domain/addon-plan';
import type { JobRow } from '@/lib/jobs';
import { AddonPlanView } from './addon-plan';

// The client leaves call useRouter; outside Next's app router a stub stands in.
vi.mock('next/navigation', () => ({ useRouter: () => ({ refresh: () => undefined, push: () => undefined }) }));

const noop = async () => ({ ok: true as const, data: null });
const manifest = (version: string, tag: string) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reloader\n  namespace: reloader\n  labels:\n    helm.sh/chart: reloader-${version}\nspec:\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/stakater/reloader:${tag}\n`;
const plan: AddonPlanSummary = {
  type: 'addon-plan', cluster: 'app1', addon: '03-reloader', inputs: 'h',
  releases: [diffRelease({ release: 'reloader', namespace: 'reloader', chart: 'reloader', installed: '2.2.10', pinned: '2.2.16', old: manifest('2.2.10', 'v1.4.0'), new: manifest('2.2.16', 'v1.4.21') })],
};
const job = { id: '00000000-0000-4000-8000-000000000001' } as JobRow;
const render = (props: Partial<Parameters<typeof AddonPlanView>[0]> = {}) =>
  renderToStaticMarkup(createElement(AddonPlanView, { job, plan, applicable: true, related: null, apply: noop, ...props }));

describe('an add-on plan on its job page', () => {
  it('shows the totals, both versions and the diff with added and removed lines coloured', () => {
    const html = render();
    expect(html).toContain('03-reloader on app1: <span aria-label="plan totals">1 object changed, +2 −2 lines</span>');
    expect(html).toContain('reloader 2.2.10 → reloader 2.2.16');
    expect(html).toMatch(/<div class="px-2 bg-rose-50 text-rose-800">- {4}helm.sh\/chart: reloader-2.2.10<\/div>/);
    expect(html).toMatch(/<div class="px-2 bg-emerald-50 text-emerald-800">\+ {8}- image: ghcr.io\/stakater\/reloader:v1.4.21<\/div>/);
    expect(html).toContain('>Apply this plan</button>');
    expect(html).not.toContain('disabled=""');
  });

  it('the Apply button says why it is unavailable: the role, a stale plan; a cut diff says so', () => {
    expect(render({ applyWhyNot: 'Needs the Admin role (you are Operator).' })).toContain('disabled="" title="Needs the Admin role (you are Operator)."');
    expect(render({ stale: 'This plan is 40 min old' })).toContain('title="This plan is 40 min old"');
    const cut = { ...plan, releases: [{ ...plan.releases[0], truncated: true }] };
    expect(render({ plan: cut })).toContain('The diff is cut here');
  });
});
