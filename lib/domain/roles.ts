/** Roles and how a token's claims map to one. Pure. */
export const ROLES = ['Reader', 'Operator', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

export function roleAtLeast(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}

/**
 * The highest role among the token's app roles (`roles` claim: Entra app roles
 * Reader, Operator, Admin) and the configured group-id → role mapping
 * (`groups` claim). Null when the user has none: signed in, but no access.
 */
export function roleFromClaims(claims: { roles?: unknown; groups?: unknown }, groupRoles: Record<string, Role> = {}): Role | null {
  const candidates: Role[] = [];
  if (Array.isArray(claims.roles)) candidates.push(...claims.roles.filter(isRole));
  if (Array.isArray(claims.groups)) {
    for (const g of claims.groups) if (typeof g === 'string' && groupRoles[g]) candidates.push(groupRoles[g]);
  }
  if (candidates.length === 0) return null;
  return candidates.reduce((best, r) => (roleAtLeast(r, best) ? r : best));
}

/** What each role may do; the UI says why a control is disabled. */
export const PERMISSIONS = {
  'power.operate': 'Operator',
  'zones.operate': 'Operator',
  'backup.run': 'Operator',
  'scenarios.run': 'Operator',
  'jobs.plan': 'Operator',
  'schedule.skip': 'Operator',
  'jobs.apply': 'Admin',
  'schedule.edit': 'Admin',
  'settings.edit': 'Admin',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role | undefined, permission: Permission): boolean {
  return role !== undefined && roleAtLeast(role, PERMISSIONS[permission]);
}

export function whyNot(role: Role | undefined, permission: Permission): string | undefined {
  if (can(role, permission)) return undefined;
  return `Needs the ${PERMISSIONS[permission]} role${role ? ` (you are ${role})` : ''}.`;
}

/**
 * Who is acting. Every server action and route handler asks this first (the
 * proxy is never trusted for authorisation: CVE-2025-29927). Sources: the
 * server-side session named by the HttpOnly cookie; or, only when configured
 * AND running on App Service, the platform's X-MS-CLIENT-PRINCIPAL header.
 */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  loginName?: string;
  via: 'session' | 'app-service' | 'system';
}
