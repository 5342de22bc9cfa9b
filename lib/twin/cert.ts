import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface TwinCertificates {
  caFile: string;
  /** PEM of the CA (what a kubeconfig's certificate-authority-data carries). */
  ca: string;
  key: string;
  cert: string;
}

/**
 * The twin serves HTTPS because the Azure SDKs refuse to send bearer tokens
 * over plain HTTP. It makes its own CA once per data folder; the app trusts it
 * through NODE_EXTRA_CA_CERTS, so TLS checking stays on everywhere.
 */
export async function ensureTwinCertificates(dir: string): Promise<TwinCertificates> {
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'twin-ca.pem');
  const keyFile = join(dir, 'twin-server-key.pem');
  const certFile = join(dir, 'twin-server.pem');
  if (existsSync(caFile) && existsSync(keyFile) && existsSync(certFile)) {
    const cert = readFileSync(certFile, 'utf8');
    const validTo = new (await import('node:crypto')).X509Certificate(cert).validTo;
    if (Date.parse(validTo) > Date.now() + 86_400_000) {
      return { caFile, ca: readFileSync(caFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), cert };
    }
  }
  const now = new Date();
  const years = (n: number) => new Date(now.getTime() + n * 365 * 86_400_000);
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'AKS Demo Control Plane twin CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: years(5),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: years(2),
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  writeFileSync(caFile, ca.cert);
  writeFileSync(keyFile, server.private, { mode: 0o600 });
  writeFileSync(certFile, server.cert);
  return { caFile, ca: ca.cert, key: server.private, cert: server.cert };
}
