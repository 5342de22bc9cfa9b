/**
 * Who may read the gateway's TLS Secret, judged from Kubernetes RBAC objects (as the API server lists them
 * or as infra/'s manifests declare them): the same judgement for the live model and the code's model.
 */

export interface RbacRuleShape {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs?: string[];
}

export interface RoleShape {
  metadata?: { name?: string; namespace?: string };
  rules?: RbacRuleShape[] | null;
}

export interface SubjectShape {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface BindingShape {
  metadata?: { name?: string; namespace?: string };
  roleRef?: { kind?: string; name?: string };
  subjects?: SubjectShape[] | null;
}

/** The Roles and RoleBindings of the Secret's namespace, and the cluster's ClusterRoles and ClusterRoleBindings. */
export interface RbacObjects {
  roles: RoleShape[];
  roleBindings: BindingShape[];
  clusterRoles: RoleShape[];
  clusterRoleBindings: BindingShape[];
}

export interface SecretReadVerdict {
  restricted: boolean;
  /** each grant that reads every Secret of the namespace, and each Secret no bound Role names */
  gaps: string[];
}

const READ_VERBS = ['get', 'list', 'watch', '*'];

/**
 * Kubernetes' own identities and the platform's controllers that read Secrets across namespaces by design
 * (cert-manager writes them, External Secrets copies them, Reloader watches them): not a workload's access.
 * The groups that stand for every service account or every user are not system identities.
 */
const CONTROLLER_NAMESPACES = ['kube-system', 'cert-manager', 'external-secrets', 'reloader'];
const EVERYONE_GROUPS = /^system:(serviceaccounts(:.*)?|authenticated|unauthenticated)$/;

function isSystemSubject(s: SubjectShape): boolean {
  if (s.kind === 'ServiceAccount') return CONTROLLER_NAMESPACES.includes(s.namespace ?? '');
  const name = s.name ?? '';
  return name.startsWith('system:') && !EVERYONE_GROUPS.test(name);
}

function readsSecrets(r: RbacRuleShape): boolean {
  const groups = r.apiGroups ?? [''];
  return (
    groups.some((g) => g === '' || g === '*') &&
    (r.resources ?? []).some((x) => x === 'secrets' || x === '*') &&
    (r.verbs ?? []).some((v) => READ_VERBS.includes(v))
  );
}

const subjectText = (s: SubjectShape) => `${s.kind ?? '?'} ${s.kind === 'ServiceAccount' && s.namespace ? `${s.namespace}/` : ''}${s.name ?? '?'}`;

interface Grant {
  role: string;
  subjects: SubjectShape[];
  rules: RbacRuleShape[];
}

/** Each binding that reaches the namespace, with the rules of the role it binds and its non-system subjects. */
function grants(namespace: string, rbac: RbacObjects): Grant[] {
  const roleOf = (kind: string | undefined, name: string | undefined): { role: string; rules: RbacRuleShape[] } | undefined => {
    const list = kind === 'ClusterRole' ? rbac.clusterRoles : rbac.roles.filter((r) => r.metadata?.namespace === namespace);
    const found = list.find((r) => r.metadata?.name === name);
    return found && { role: kind === 'ClusterRole' ? `ClusterRole ${name}` : `Role ${namespace}/${name}`, rules: found.rules ?? [] };
  };
  const bindings = [...rbac.roleBindings.filter((b) => b.metadata?.namespace === namespace), ...rbac.clusterRoleBindings];
  return bindings.flatMap((b) => {
    const role = roleOf(b.roleRef?.kind, b.roleRef?.name);
    const subjects = (b.subjects ?? []).filter((s) => !isSystemSubject(s));
    return role && subjects.length ? [{ ...role, subjects }] : [];
  });
}

/**
 * Restricted: no Role or ClusterRole bound to a non-system subject may get, list or watch every Secret of the
 * namespace (a secrets rule without resourceNames), and each of the given Secrets is named by a bound Role's rule.
 */
export function secretReadVerdict(namespace: string, secretNames: string[], rbac: RbacObjects): SecretReadVerdict {
  const all = grants(namespace, rbac);
  const gaps: string[] = [];
  for (const g of all) {
    const wide = g.rules.filter((r) => readsSecrets(r) && (r.resourceNames ?? []).length === 0);
    if (wide.length === 0) continue;
    const verbs = [...new Set(wide.flatMap((r) => (r.verbs ?? []).filter((v) => READ_VERBS.includes(v))))].join('/');
    gaps.push(`${g.role} lets ${g.subjects.map(subjectText).join(', ')} ${verbs} every Secret in ${namespace}`);
  }
  const named = new Set(all.flatMap((g) => g.rules.filter(readsSecrets).flatMap((r) => r.resourceNames ?? [])));
  for (const s of secretNames) if (!named.has(s)) gaps.push(`no bound Role names the Secret ${namespace}/${s}`);
  return { restricted: gaps.length === 0, gaps };
}
