/**
 * Who is acting, and what their role allows. Until Entra ID sign-in lands
 * (issue 11), every request acts as the local operator; every action already
 * asks `authorize` first, so sign-in only has to fill this in.
 */
export const ROLES = ['Reader', 'Operator', 'Admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

export const LOCAL_OPERATOR: Actor = { id: 'local-operator', name: 'Local operator', role: 'Admin' };

export function roleAtLeast(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}

/** The signed-in actor for this request. */
export async function currentActor(): Promise<Actor | null> {
  return LOCAL_OPERATOR;
}
