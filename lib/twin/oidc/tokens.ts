import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';

/**
 * Access tokens as Entra ID issues them to an application (the client
 * credentials grant, which @azure/identity's ClientSecretCredential uses), and
 * the check ARM and an AKS API server make on them: signature (the tenant's
 * signing key), issuer, audience and expiry.
 *
 * Tokens are v1.0, as Entra issues them for ARM and for the AKS server
 * application (neither asks for v2.0 tokens): the issuer is
 * `<authority>/<tenant>/` (Entra: `https://sts.windows.net/<tenant>/`) and the
 * audience is the resource as the scope named it, without `/.default`.
 */

/** The AKS server application: the audience of tokens an AKS API server with Entra ID integration accepts. */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** The audiences ARM accepts in the public cloud (its 401 lists exactly these). */
export const ARM_AUDIENCES = ['https://management.core.windows.net/', 'https://management.core.windows.net', 'https://management.azure.com/', 'https://management.azure.com'];

/** Azure Monitor's data planes: the regional metrics batch endpoint and Log Analytics (their token audiences). */
export const METRICS_AUDIENCES = ['https://metrics.monitor.azure.com/', 'https://metrics.monitor.azure.com'];
export const LOGS_AUDIENCES = ['https://api.loganalytics.io/', 'https://api.loganalytics.io'];

/** Lifetime of an issued access token (Entra's default is 60–90 minutes). */
export const ACCESS_TOKEN_SECONDS = 3599;

/** Which API checks the token: ARM (and the other Azure resource providers) or a cluster's Kubernetes API server. */
export type TokenAudience = 'arm' | 'kubernetes' | 'metrics' | 'logs';

export interface IssuerKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

/** `https://management.azure.com/.default` → `https://management.azure.com/`; `<app id>/.default` → `<app id>`. */
export function resourceOfScope(scope: string): string | undefined {
  const m = /^(.+?)\/?\.default$/.exec(scope.trim());
  if (!m) return undefined;
  const resource = m[1];
  return /^https?:\/\//.test(resource) ? `${resource}/` : resource;
}

/** The resources the demo tenant knows (Entra refuses a scope whose resource has no service principal in the tenant). */
export function knownResource(resource: string, armUrl: string): boolean {
  return resource === AKS_SERVER_APP_ID || ARM_AUDIENCES.includes(resource) || resource === `${armUrl}/` || METRICS_AUDIENCES.includes(resource) || LOGS_AUDIENCES.includes(resource);
}

/** Audiences each API accepts. The twin's own ARM URL stands for ARM's audience in a cloud whose ARM is the twin. */
export function acceptedAudiences(api: TokenAudience, armUrl: string): string[] {
  if (api === 'kubernetes') return [AKS_SERVER_APP_ID];
  if (api === 'metrics') return METRICS_AUDIENCES;
  if (api === 'logs') return LOGS_AUDIENCES;
  return [...ARM_AUDIENCES, `${armUrl}/`, armUrl];
}

export function issuerOf(authority: string, tenantId: string): string {
  return `${authority}/${tenantId}/`;
}

export async function issueAccessToken(o: {
  keys: IssuerKeys;
  authority: string;
  tenantId: string;
  clientId: string;
  audience: string;
  now: number;
}): Promise<string> {
  const now = Math.floor(o.now / 1000);
  // The application's service principal in the tenant: a stable object id derived from the client id.
  const oid = createHash('sha256').update(`${o.tenantId}:${o.clientId}`).digest('hex');
  const spId = `${oid.slice(0, 8)}-${oid.slice(8, 12)}-4${oid.slice(13, 16)}-8${oid.slice(17, 20)}-${oid.slice(20, 32)}`;
  return new SignJWT({ ver: '1.0', tid: o.tenantId, appid: o.clientId, appidacr: '1', idtyp: 'app', oid: spId, uti: randomUUID().replace(/-/g, '').slice(0, 22) })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: o.keys.kid, x5t: o.keys.kid })
    .setIssuer(issuerOf(o.authority, o.tenantId))
    .setAudience(o.audience)
    .setSubject(spId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ACCESS_TOKEN_SECONDS)
    .sign(o.keys.privateKey);
}

export interface TokenRefusal {
  status: 401;
  /** ARM's error codes: InvalidAuthenticationToken, InvalidAuthenticationTokenAudience, ExpiredAuthenticationToken. */
  code: 'InvalidAuthenticationToken' | 'InvalidAuthenticationTokenAudience' | 'ExpiredAuthenticationToken' | 'AuthenticationFailed';
  message: string;
  /** What ARM sends in WWW-Authenticate with the refusal. */
  wwwAuthenticate: string;
}

/** Checks a bearer token as ARM (or an AKS API server) does; undefined when it is accepted. */
export async function checkAccessToken(o: {
  authorization: string | undefined;
  keys: IssuerKeys;
  authority: string;
  tenantId: string;
  audiences: string[];
  now: number;
}): Promise<TokenRefusal | undefined> {
  const refuse = (code: TokenRefusal['code'], message: string, description: string): TokenRefusal => ({
    status: 401,
    code,
    message,
    wwwAuthenticate: `Bearer authorization_uri="${o.authority}/${o.tenantId}", error="invalid_token", error_description="${description}"`,
  });
  const bearer = /^Bearer (\S+)$/.exec(o.authorization ?? '');
  if (!bearer) return refuse('AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", 'The authentication scheme of Bearer is required');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(bearer[1], o.keys.publicKey, {
      algorithms: ['RS256'],
      issuer: issuerOf(o.authority, o.tenantId),
      currentDate: new Date(o.now),
      // ARM allows five minutes of clock skew.
      clockTolerance: 300,
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      const exp = err.payload.exp ? new Date(err.payload.exp * 1000).toISOString() : 'unknown';
      return refuse('ExpiredAuthenticationToken', `The access token expiry UTC time '${exp}' is earlier than current UTC time '${new Date(o.now).toISOString()}'.`, 'The access token has expired');
    }
    return refuse('InvalidAuthenticationToken', 'The access token is invalid.', 'The access token is invalid');
  }
  const aud = typeof payload.aud === 'string' ? payload.aud : (payload.aud ?? []).join(',');
  if (!o.audiences.includes(aud)) {
    return refuse(
      'InvalidAuthenticationTokenAudience',
      `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${o.audiences.map((a) => `'${a}'`).join(',')}.`,
      'The access token is from the wrong audience',
    );
  }
  return undefined;
}
