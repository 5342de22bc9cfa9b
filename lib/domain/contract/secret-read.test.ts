import { describe, expect, it } from 'vitest';
import { secretReadVerdict, type RbacObjects } from './secret-read';

const NS = 'aks-istio-ingress';

/** As infra/manifests/external-secrets/tls-secret-rbac.yaml declares it, plus a cluster-admin bound to Kubernetes' own group. */
function declared(): RbacObjects {
  return {
    roles: [{ metadata: { name: 'gateway-tls-reader', namespace: NS }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['gateway-tls'], verbs: ['get', 'watch'] }] }],
    roleBindings: [
      {
        metadata: { name: 'gateway-tls-reader', namespace: NS },
        roleRef: { kind: 'Role', name: 'gateway-tls-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'aks-istio-ingressgateway-external', namespace: NS }],
      },
    ],
    clusterRoles: [{ metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }],
    clusterRoleBindings: [{ metadata: { name: 'cluster-admin' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:masters' }] }],
  };
}

describe('secretReadVerdict', () => {
  it('a Role naming the Secret, bound to the gateway, is restricted', () => {
    expect(secretReadVerdict(NS, ['gateway-tls'], declared())).toEqual({ restricted: true, gaps: [] });
  });

  it('a wildcard secrets read bound to a workload ServiceAccount is not, and names the Role', () => {
    const rbac = declared();
    rbac.roles.push({ metadata: { name: 'wide-secret-reader', namespace: NS }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] });
    rbac.roleBindings.push({ metadata: { name: 'wide-secret-reader', namespace: NS }, roleRef: { kind: 'Role', name: 'wide-secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'demo' }] });
    expect(secretReadVerdict(NS, ['gateway-tls'], rbac)).toEqual({
      restricted: false,
      gaps: [`Role ${NS}/wide-secret-reader lets ServiceAccount demo/web list every Secret in ${NS}`],
    });
  });

  it('a ClusterRole bound cluster-wide to every service account is not; the platform controllers are', () => {
    const rbac = declared();
    rbac.clusterRoles.push({ metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }] });
    rbac.clusterRoleBindings.push({ metadata: { name: 'eso' }, roleRef: { kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'external-secrets', namespace: 'external-secrets' }] });
    expect(secretReadVerdict(NS, ['gateway-tls'], rbac).restricted).toBe(true);
    rbac.clusterRoleBindings.push({ metadata: { name: 'everyone' }, roleRef: { kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts' }] });
    expect(secretReadVerdict(NS, ['gateway-tls'], rbac).gaps).toEqual([`ClusterRole secret-reader lets Group system:serviceaccounts get/list/watch every Secret in ${NS}`]);
  });

  it('without a bound Role naming the Secret it is not restricted; a Role of another namespace does not count', () => {
    const rbac = declared();
    rbac.roles[0].metadata!.namespace = 'demo';
    expect(secretReadVerdict(NS, ['gateway-tls'], rbac)).toEqual({ restricted: false, gaps: [`no bound Role names the Secret ${NS}/gateway-tls`] });
  });

  it('a Role granting only writes or other resources is no read', () => {
    const rbac = declared();
    rbac.roles.push({ metadata: { name: 'writer', namespace: NS }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }, { apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] });
    rbac.roleBindings.push({ metadata: { name: 'writer', namespace: NS }, roleRef: { kind: 'Role', name: 'writer' }, subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'demo' }] });
    expect(secretReadVerdict(NS, ['gateway-tls'], rbac).restricted).toBe(true);
  });
});
