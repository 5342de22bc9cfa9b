/**
 * The environment a job's process gets: an allow-list, never the server's own environment
 * (which holds the session secret, the database URL, the app's client secret …).
 */
const EXACT = new Set([
  'PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TERM',
  'KUBECONFIG', 'AZURE_CONFIG_DIR', 'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME', 'TF_PLUGIN_CACHE_DIR', 'TF_CLI_CONFIG_FILE',
  // install.sh settings (infra/README.md).
  'WORKER_PROVISIONING', 'ACNS_OBSERVABILITY', 'ISTIO_REVISION', 'NAME_PREFIX', 'CERT_MANAGER_CLIENT_ID',
  'ESO_CLIENT_ID_MGMT', 'ESO_CLIENT_ID_APP1', 'ESO_CLIENT_ID_APP2', 'DNS_ZONE_NAME', 'ACME_EMAIL',
  'APPLICATIONINSIGHTS_CONNECTION_STRING', 'FLUX_GIT_URL', 'FLUX_SSH_KEY_FILE', 'KEY_VAULT_NAME',
]);
/** OpenTofu's azurerm/azuread credentials and variables. */
const PREFIXES = ['ARM_', 'TF_VAR_'];

import 'server-only';
export function jobEnvironment(source: Record<string, string | undefined>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (EXACT.has(name) || PREFIXES.some((p) => name.startsWith(p))) env[name] = value;
  }
  // No prompts, and tofu knows it runs unattended.
  Object.assign(env, { TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...extra });
  return env as NodeJS.ProcessEnv;
}

/** Names of variables whose values are secrets wherever they appear (redacted from every log). */
export function secretValues(source: Record<string, string | undefined>): string[] {
  return Object.entries(source)
    .filter(([name, v]) => v && v.length >= 6 && /SECRET|PASSWORD|TOKEN|CONNECTION_STRING|ACCESS_KEY|PRIVATE_KEY|(^|_)KEY$|DATABASE_URL/i.test(name))
    .map(([, v]) => v!);
}
