/** Roles and actors are the domain's (`domain/roles`); this is the authorisation capability's view of them. */
export * from '../domain/roles';
