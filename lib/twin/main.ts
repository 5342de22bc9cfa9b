/**
 * Starts the twin as its own process (never imported by the app). Prints one
 * JSON line `{"twin":"ready","url":…,"caFile":…}` on stdout when it listens.
 */
import { resolve } from 'node:path';
import { ensureTwinCertificates } from './cert';
import { Twin } from './server';
import { DEFAULT_NAMES, parseTwinScale, type TwinNames } from './seed';
import { defaultExtensions } from './extensions';

async function main() {
  const env = process.env;
  const dataDir = resolve(env.TWIN_DATA_DIR ?? 'data/twin');
  const certs = await ensureTwinCertificates(dataDir);
  const names: TwinNames = {
    location: env.AZURE_LOCATION || DEFAULT_NAMES.location,
    commonResourceGroup: env.RG_COMMON || DEFAULT_NAMES.commonResourceGroup,
    clusters: [
      { key: 'mgmt', resourceGroup: env.RG_MGMT || 'rg-k8s-demo-mgmt', name: env.CLUSTER_MGMT || 'aks-mgmt' },
      { key: 'app1', resourceGroup: env.RG_APP1 || 'rg-k8s-demo-app1', name: env.CLUSTER_APP1 || 'aks-app1' },
      { key: 'app2', resourceGroup: env.RG_APP2 || 'rg-k8s-demo-app2', name: env.CLUSTER_APP2 || 'aks-app2' },
    ],
  };
  const profile = env.TWIN_PROFILE === 'manual' ? 'manual' : 'nap';
  const scale = parseTwinScale(env.TWIN_SCALE);
  const twin = new Twin({
    key: certs.key,
    cert: certs.cert,
    ca: certs.ca,
    port: Number(env.TWIN_PORT ?? 4443),
    browserPort: Number(env.TWIN_BROWSER_PORT ?? Number(env.TWIN_PORT ?? 4443) + 1),
    // The three clusters' Kubernetes API servers, each on its own port as on AKS.
    kubernetesPorts: [2, 3, 4].map((n) => Number(env.TWIN_PORT ?? 4443) + n),
    profile,
    scale,
    clockSpeed: Number(env.TWIN_CLOCK_SPEED ?? 60),
    subscriptionId: env.TWIN_SUBSCRIPTION_ID ?? '00000000-0000-4000-8000-00000000d3e0',
    names,
    extensions: defaultExtensions(),
    // As on Azure, ARM and the API servers take only tokens the tenant issued for them (TWIN_CHECK_TOKENS=false: any bearer token).
    checkTokens: env.TWIN_CHECK_TOKENS !== 'false',
  });
  const url = await twin.listen();
  process.stdout.write(JSON.stringify({ twin: 'ready', url, browserUrl: twin.browserUrl, caFile: certs.caFile, profile, scale }) + '\n');
  const stop = () => void twin.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('twin failed to start:', err);
  process.exit(1);
});
