/** Roles and actors are the domain's (`domain/roles`); this is the authorisation capability's view of them. */
import 'server-only';
export * from '../domain/roles';
