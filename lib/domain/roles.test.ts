import { describe, expect, it } from 'vitest';
import { can, roleFromClaims, whyNot } from './roles';

describe('roleFromClaims', () => {
  const groups = { '6a1d0000-0000-4000-8000-000000000001': 'Operator' as const };
  it.each([
    [{ roles: ['Reader'] }, 'Reader'],
    [{ roles: ['Reader', 'Admin'] }, 'Admin'],
    [{ roles: ['Owner'] }, null],
    [{}, null],
    [{ roles: 'Admin' }, null],
    [{ groups: ['6a1d0000-0000-4000-8000-000000000001'] }, 'Operator'],
    [{ roles: ['Reader'], groups: ['6a1d0000-0000-4000-8000-000000000001'] }, 'Operator'],
    [{ groups: ['unknown'] }, null],
  ])('%j → %s', (claims, role) => {
    expect(roleFromClaims(claims, groups)).toBe(role);
  });
});

describe('permissions', () => {
  it.each([
    ['Reader', 'power.operate', false],
    ['Operator', 'power.operate', true],
    ['Operator', 'jobs.apply', false],
    ['Admin', 'jobs.apply', true],
    ['Operator', 'schedule.skip', true],
    ['Operator', 'schedule.edit', false],
  ] as const)('%s %s → %s', (role, permission, allowed) => {
    expect(can(role, permission)).toBe(allowed);
    expect(whyNot(role, permission) === undefined).toBe(allowed);
  });
  it('nobody signed in may do nothing', () => {
    expect(can(undefined, 'power.operate')).toBe(false);
  });
});
