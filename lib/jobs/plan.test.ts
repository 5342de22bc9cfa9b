import { describe, expect, it } from 'vitest';
import { planLine, summarisePlan } from './plan';

describe('plan summary from tofu show -json', () => {
  it('counts create/update/delete; a replacement is one add and one destroy; no-op and read are not listed', () => {
    const s = summarisePlan(JSON.stringify({
      resource_changes: [
        { address: 'a', change: { actions: ['create'] } },
        { address: 'b', change: { actions: ['update'] } },
        { address: 'c', change: { actions: ['delete', 'create'] } },
        { address: 'd', change: { actions: ['create', 'delete'] } },
        { address: 'e', change: { actions: ['delete'] } },
        { address: 'f', change: { actions: ['no-op'] } },
        { address: 'g', change: { actions: ['read'] } },
      ],
    }));
    expect(s).toMatchObject({ add: 3, change: 1, destroy: 3 });
    expect(s.resources.map((r) => r.address)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(planLine(s)).toBe('Plan: 3 to add, 1 to change, 3 to destroy.');
  });
  it('an empty plan has nothing to do', () => {
    expect(summarisePlan('{"format_version":"1.2"}')).toEqual({ add: 0, change: 0, destroy: 0, resources: [] });
  });
});
