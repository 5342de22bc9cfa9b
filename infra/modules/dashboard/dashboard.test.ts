import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, parseConfig } from '../../../lib/config';
import { ROLES } from '../../../lib/auth/roles';
import { ACTION_PERMISSIONS, BUILT_IN_ROLES, INFRASTRUCTURE_ACTIONS, grantKey, requiredGrants, type Grant } from '../../../lib/auth/permissions';
import { jobEnvironment } from '../../../lib/jobs/env';
import { isUnknown, type Value } from '../../contract/hcl-eval';
import { loadRoot, parseTfFile, readTfvars } from '../../contract/tf-module';

/**
 * The dashboard module against the code it deploys: the roles it grants are exactly the
 * permission table's (lib/auth/permissions.ts), every action has an entry there, the settings it
 * writes are the ones the configuration knows and complete for the azure target, and the
 * redirect URI and app roles are the app's.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const MODULE = import.meta.dirname;
const sub = '11111111-2222-3333-4444-555555555555';
const rg = (n: string) => `/subscriptions/${sub}/resourceGroups/rg-k8s-demo-${n}`;
const INPUTS: Record<string, Value> = {
  prefix: 'k8s-demo',
  hosting: 'app_service',
  location: 'koreacentral',
  resource_group_name: 'rg-k8s-demo-mgmt',
  subscription_id: sub,
  tenant_id: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  appsvc_subnet_id: `${rg('common')}/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-appsvc`,
  cluster_ids: Object.fromEntries(['mgmt', 'app1', 'app2'].map((k) => [k, `${rg(k)}/providers/Microsoft.ContainerService/managedClusters/aks-${k}`])),
  resource_group_ids: Object.fromEntries(['common', 'mgmt', 'app1', 'app2'].map((k) => [k, rg(k)])),
  node_resource_group_ids: Object.fromEntries(['mgmt', 'app1', 'app2'].map((k) => [k, `/subscriptions/${sub}/resourceGroups/MC_rg-k8s-demo-${k}_aks-${k}_koreacentral`])),
  backup_vault_id: `${rg('common')}/providers/Microsoft.DataProtection/backupVaults/bv-k8s-demo`,
  key_vault_name: 'kv-k8s-demo',
  artifact_zip: 'dist/aks-demo-control-plane-0.1.0-node22.zip',
};
const STATE = {
  state_resource_group_name: 'rg-k8s-demo-tfstate',
  state_storage_account_name: 'stk8sdemotfstate1',
  state_storage_account_id: `/subscriptions/${sub}/resourceGroups/rg-k8s-demo-tfstate/providers/Microsoft.Storage/storageAccounts/stk8sdemotfstate1`,
};

/** The action names declared with defineAction in app/actions, read from the source. */
function declaredActions(): string[] {
  const dir = path.join(ROOT, 'app/actions');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/defineAction\(\{\s*name:\s*'([^']+)'/g)].map((m) => m[1]));
}

function expectedAssignments(grants: Grant[]): string[] {
  return grants
    .flatMap((g) => {
      const perCluster = { clusters: 'cluster', 'node-resource-groups': 'node-resource-group' }[g.scope as string];
      return perCluster ? ['mgmt', 'app1', 'app2'].map((k) => `${g.role}@${perCluster}:${k}`) : [grantKey(g)];
    })
    .sort();
}

async function dashboard(inputs: Record<string, Value> = {}) {
  return loadRoot(MODULE, { ...INPUTS, ...inputs });
}

describe('roles from the actions', () => {
  it('every action declared with defineAction has an entry in the permission table, and no entry is stale', () => {
    const actions = declaredActions();
    expect(actions.length).toBeGreaterThanOrEqual(26);
    expect(actions.filter((a) => !(a in ACTION_PERMISSIONS))).toEqual([]);
    expect(Object.keys(ACTION_PERMISSIONS).filter((a) => !actions.includes(a))).toEqual([]);
    expect(INFRASTRUCTURE_ACTIONS.filter((a) => !actions.includes(a))).toEqual([]);
  });

  it('every entry says which operations it needs when it grants a role, with built-in roles only', () => {
    for (const [name, p] of Object.entries(ACTION_PERMISSIONS)) {
      if (p.grants.length) expect(p.operations.length, name).toBeGreaterThan(0);
      for (const g of p.grants) expect(BUILT_IN_ROLES, name).toContain(g.role);
    }
  });

  it('the module lists exactly the table’s grants, flagged the same', async () => {
    const j = await parseTfFile(path.join(MODULE, 'main.roles.tf'));
    const listed = (j.locals as { role_grants?: { role: string; scope: string; infrastructure_jobs_only: boolean }[] }[]).find((l) => l.role_grants)!.role_grants!;
    const limited = new Set(requiredGrants({ infrastructureJobs: false }).map(grantKey));
    expect(listed.map((g) => `${grantKey(g as Grant)}:${g.infrastructure_jobs_only}`).sort()).toEqual(
      requiredGrants().map((g) => `${grantKey(g)}:${!limited.has(grantKey(g))}`).sort(),
    );
  });

  it('grants each of them once per scope, all to the dashboard identity, and nothing else', async () => {
    const m = await dashboard(STATE);
    const assignments = m.resourcesOfType('azurerm_role_assignment');
    expect(assignments.map((a) => String(a.key)).sort()).toEqual(expectedAssignments(requiredGrants()));
    for (const a of assignments) {
      expect(a.name).toBe('dashboard');
      expect(a.get('role_definition_name')).toBe(String(a.key).split('@')[0]);
      expect(a.raw.principal_id).toBe('${azurerm_user_assigned_identity.dashboard.principal_id}');
    }
    const byKey = Object.fromEntries(assignments.map((a) => [String(a.key), a.get('scope')]));
    expect(byKey['Cost Management Reader@subscription']).toBe(`/subscriptions/${sub}`);
    expect(byKey['Backup Operator@backup-vault']).toBe(INPUTS.backup_vault_id);
    expect(byKey['Reader@resource-group:app1']).toBe(rg('app1'));
    expect(byKey['Azure Kubernetes Service Contributor Role@cluster:app2']).toBe((INPUTS.cluster_ids as Record<string, string>).app2);
    expect(byKey['Storage Blob Data Contributor@state-storage']).toBe(STATE.state_storage_account_id);
    expect(byKey['Virtual Machine Contributor@node-resource-group:app1']).toBe((INPUTS.node_resource_group_ids as Record<string, string>).app1);
  });

  it('leaves out the subscription-wide write roles when infrastructure jobs are not granted, and the state role without remote state', async () => {
    const m = await dashboard({ grant_infrastructure_jobs: false });
    const keys = m.resourcesOfType('azurerm_role_assignment').map((a) => String(a.key)).sort();
    expect(keys).toEqual(expectedAssignments(requiredGrants({ infrastructureJobs: false }).filter((g) => g.scope !== 'state-storage')));
    expect(keys).not.toContain('Contributor@subscription');
    expect(keys).not.toContain('Role Based Access Control Administrator@subscription');
  });

  it('is what the root configuration gets (hosting from terraform.tfvars.example)', async () => {
    const example = await readTfvars(path.join(ROOT, 'infra/terraform.tfvars.example'));
    const root = await loadRoot(path.join(ROOT, 'infra'), example);
    const keys = root.module('dashboard')[0].resourcesOfType('azurerm_role_assignment').map((a) => String(a.key)).sort();
    expect(keys).toEqual(expectedAssignments(requiredGrants().filter((g) => g.scope !== 'state-storage')));
  });
});

/** Platform settings App Service reads itself; they are not the app's. */
const APP_SERVICE_PLATFORM = {
  WEBSITE_RUN_FROM_PACKAGE: 'run the zip read-only from /home/data/SitePackages',
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'no build on the host: the artifact is built',
};

function known(settings: Record<string, Value>): Record<string, string> {
  // Values the cloud computes (ids) are unknown here: stand in a UUID, the shape they have.
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, isUnknown(v) ? '0f0e0d0c-0b0a-4000-8000-000000000001' : String(v)]));
}

describe('the settings agree', () => {
  it.each(['app_service', 'jump_vm'])('%s: every setting written is one the configuration knows or the jobs pass to OpenTofu', async (hosting) => {
    const m = await dashboard({ hosting, artifact_url: 'https://example.org/a.tar.gz', artifact_sha256: 'a'.repeat(64) });
    const settings = m.local('app_settings') as Record<string, Value>;
    const unknownNames = Object.keys(settings).filter((k) => !CONFIG_VARIABLES.includes(k));
    // The rest must be variables the jobs hand to tofu (ARM_* credentials, TF_VAR_* inputs).
    expect(Object.keys(jobEnvironment(Object.fromEntries(unknownNames.map((k) => [k, 'x']))))).toEqual(expect.arrayContaining(unknownNames));
    expect(unknownNames.every((k) => /^(ARM|TF_VAR)_/.test(k))).toBe(true);
  });

  it.each(['app_service', 'jump_vm'])('%s: what is written is enough to start on the azure target, signed in with the managed identity', async (hosting) => {
    const m = await dashboard({ hosting, artifact_url: 'https://example.org/a.tar.gz', artifact_sha256: 'a'.repeat(64), ...STATE });
    const config = parseConfig(known(m.local('app_settings') as Record<string, Value>));
    expect(config.target).toBe('azure');
    expect(config.subscriptionId).toBe(sub);
    expect(config.auth.tenantId).toBe(INPUTS.tenant_id);
    expect(config.auth.credential.kind).toBe('federated-managed-identity');
    expect(config.dataDir).toBe(hosting === 'app_service' ? '/home/data' : '/var/lib/aks-demo-control-plane');
    expect(config.databaseUrl).toBe(`file:${config.dataDir}/app.db`);
    expect(config.clusters.map((c) => `${c.resourceGroup}/${c.name}`)).toEqual(['rg-k8s-demo-mgmt/aks-mgmt', 'rg-k8s-demo-app1/aks-app1', 'rg-k8s-demo-app2/aks-app2']);
    expect(config.jobs.remoteState?.storageAccount).toBe(STATE.state_storage_account_name);
    expect(config.auth.baseUrl).toBe(hosting === 'app_service' ? 'https://app-k8s-demo-dashboard.azurewebsites.net' : 'http://localhost:3000');
  });

  it('App Service adds only its platform settings, and PostgreSQL as DATABASE_URL when chosen', async () => {
    for (const database of ['sqlite', 'postgresql']) {
      const m = await dashboard({ database, postgres_subnet_id: 'snet', postgres_vnet_id: 'vnet' });
      const app = m.resources('azurerm_linux_web_app', 'this')[0];
      const settings = app.get('app_settings') as Record<string, Value>;
      const own = m.local('app_settings') as Record<string, Value>;
      const extra = Object.keys(settings).filter((k) => !(k in own));
      expect(extra.sort()).toEqual([...Object.keys(APP_SERVICE_PLATFORM), ...(database === 'postgresql' ? ['DATABASE_URL'] : [])].sort());
      expect(app.get('zip_deploy_file')).toBe(INPUTS.artifact_zip);
      expect(app.get('site_config', 'app_command_line')).toBe('node launcher.mjs');
      expect(app.raw.auth_settings_v2).toBeUndefined(); // one sign-in: the app's own
      expect(m.resourcesOfType('azurerm_postgresql_flexible_server').length).toBe(database === 'postgresql' ? 1 : 0);
    }
  });

  it('the Jump VM’s environment file is the same settings', () => {
    const tf = fs.readFileSync(path.join(MODULE, 'main.jump_vm.tf'), 'utf8');
    expect(tf).toMatch(/environment\s*=\s*join\("\\n", \[for k in sort\(keys\(local\.app_settings\)\) : "\$\{k\}=\$\{local\.app_settings\[k\]\}"\]\)/);
  });
});

describe('sign-in', () => {
  it.each([
    ['app_service', 'https://app-k8s-demo-dashboard.azurewebsites.net/auth/callback'],
    ['jump_vm', 'http://localhost:3000/auth/callback'],
  ])('%s: the redirect URI is the app’s callback on APP_BASE_URL', async (hosting, uri) => {
    const m = await dashboard({ hosting });
    const app = m.resources('azuread_application', 'dashboard')[0];
    expect(app.blocks('web')[0].redirect_uris).toEqual([uri]);
    expect(uri).toBe(`${(m.local('app_settings') as Record<string, string>).APP_BASE_URL}/auth/callback`);
    expect(fs.existsSync(path.join(ROOT, 'app/auth/callback/route.ts'))).toBe(true);
    expect(fs.readFileSync(path.join(ROOT, 'lib/auth/sign-in.ts'), 'utf8')).toContain('/auth/callback`');
  });

  it('the app roles are the roles the app checks', async () => {
    const app = (await dashboard()).resources('azuread_application', 'dashboard')[0];
    expect(app.blocks('app_role').map((r) => r.value).sort()).toEqual([...ROLES].sort());
  });

  it('the client credential is a federated credential of the managed identity, not a secret', async () => {
    const m = await dashboard();
    expect(m.resourcesOfType('azuread_application_password')).toHaveLength(0);
    const fic = m.resources('azuread_application_federated_identity_credential', 'managed_identity')[0];
    expect(fic.get('audiences')).toEqual(['api://AzureADTokenExchange']);
    expect(fic.get('issuer')).toBe(`https://login.microsoftonline.com/${String(INPUTS.tenant_id)}/v2.0`);
    expect(fic.raw.subject).toBe('${azurerm_user_assigned_identity.dashboard.principal_id}');
  });
});

describe('the Jump VM', () => {
  const unit = fs.readFileSync(path.join(MODULE, 'files/aks-demo-dashboard.service'), 'utf8');
  const install = fs.readFileSync(path.join(MODULE, 'files/install.sh.tftpl'), 'utf8');

  it('runs the artifact with plain node as an unprivileged user, writable only in its data directory', () => {
    expect(unit).toMatch(/^User=dashboard$/m);
    expect(unit).toMatch(/^ExecStart=\/usr\/local\/bin\/node \/opt\/aks-demo-control-plane\/current\/launcher\.mjs$/m);
    expect(unit).not.toMatch(/npm|tsx/);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^StateDirectory=aks-demo-control-plane$/m);
    expect(unit).not.toMatch(/^ReadWritePaths=/m);
    expect(unit).toMatch(/^NoNewPrivileges=true$/m);
  });

  it('installs every tool and the artifact from a pinned release, checksum checked before use', () => {
    for (const tool of ['node', 'tofu', 'helm', 'kubectl', 'kubelogin']) expect(install).toMatch(new RegExp(`^check \\S+ "\\$\\{${tool}_sha256\\}"$`, 'm'));
    // Nothing is unpacked or installed before its check.
    for (const [file, use] of [['node.tar.gz', 'tar -xzf node.tar.gz'], ['tofu.zip', 'unzip -o -q tofu.zip'], ['helm.tar.gz', 'tar -xzf helm.tar.gz'], ['kubectl', 'install -m 0755 kubectl'], ['kubelogin.zip', 'unzip -o -q kubelogin.zip'], ['artifact.tar.gz', 'tar -xzf artifact.tar.gz']]) {
      expect(install.indexOf(`check ${file} `), file).toBeGreaterThan(0);
      expect(install.indexOf(use), file).toBeGreaterThan(install.indexOf(`check ${file} `));
    }
    expect(install).toMatch(/^check artifact\.tar\.gz "\$\{artifact_sha256\}"$/m);
    expect(install).toContain('azure-cli=${az_version}-1~$codename');
    expect(install).toMatch(/^set -euo pipefail$/m);
    expect(install).not.toMatch(/curl[^\n]*\|\s*(ba)?sh/);
  });

  it('pins each tool with a checksum and says where it was read; a release other than the pin needs its own', async () => {
    const tools = fs.readFileSync(path.join(MODULE, 'main.tools.tf'), 'utf8');
    expect(tools).toMatch(/cashapp\/hermit-packages at [0-9a-f]{40}/);
    expect(tools).toMatch(/Azure\/homebrew-kubelogin .* at [0-9a-f]{40}/);
    const m = await dashboard({ hosting: 'jump_vm' });
    const pinned = m.local('tools') as Record<string, { version: string; sha256: string }>;
    expect(Object.keys(pinned).sort()).toEqual(['helm', 'kubectl', 'kubelogin', 'tofu']);
    for (const t of Object.values(pinned)) expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const pin of Object.values(m.local('node_pins') as Record<string, { sha256: string }>)) expect(pin.sha256).toMatch(/^[0-9a-f]{64}$/);
    const other = await dashboard({ hosting: 'jump_vm', tool_versions: { helm: '3.20.0' } });
    expect((other.local('tools') as Record<string, { version: string; sha256: string }>).helm).toEqual({ version: '3.20.0', sha256: '' });
    const given = await dashboard({ hosting: 'jump_vm', tool_versions: { helm: '3.20.0' }, tool_sha256: { helm: 'b'.repeat(64) } });
    expect((given.local('tools') as Record<string, { version: string; sha256: string }>).helm).toEqual({ version: '3.20.0', sha256: 'b'.repeat(64) });
  });
});

describe('the Node the hosts run is the artifact’s', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'artifact-manifest-'));
  const manifest = (nodeMajor: string) => {
    const file = path.join(dir, `a-node${nodeMajor}.json`);
    fs.writeFileSync(file, JSON.stringify({ name: 'aks-demo-control-plane', node: `${nodeMajor}.1.0`, nodeMajor, nodeModuleVersion: '127' }));
    return file;
  };

  it.each(['22', '24'])('Node %s: App Service runs its LTS stack and the Jump VM installs that major’s pinned release', async (major) => {
    const app = await dashboard({ artifact_zip: manifest(major).replace(/\.json$/, '.zip') });
    expect(app.resources('azurerm_linux_web_app', 'this')[0].get('site_config', 'application_stack', 'node_version')).toBe(`${major}-lts`);
    const vm = await dashboard({ hosting: 'jump_vm', artifact_manifest: manifest(major) });
    expect((vm.local('node') as { version: string }).version.split('.')[0]).toBe(major);
  });

  it('an artifact built with a Node the hosts do not run is refused at plan time, on both hosts', async () => {
    const app = await dashboard({ artifact_zip: manifest('20').replace(/\.json$/, '.zip') });
    expect(app.local('node')).toBeNull();
    const main = fs.readFileSync(path.join(MODULE, 'main.tf'), 'utf8');
    const outputs = fs.readFileSync(path.join(MODULE, 'outputs.tf'), 'utf8');
    expect(main).toMatch(/precondition \{\s*condition\s*=\s*local\.node != null/);
    expect(outputs).toMatch(/precondition \{\s*condition\s*=\s*var\.hosting != "jump_vm" \|\| local\.node != null/);
  });
});
