/**
 * Registry credentials from a DigitalOcean API token: the API hands out a docker login for
 * registry.digitalocean.com that expires on its own, read-only, so the droplet never holds the
 * API token itself (which can do anything the account can).
 */
import { apiBaseUrl } from '../http/api-url-override.js';
import { readBoundedText, ResponseTooLargeError } from '../http/bounded-body.js';
import { oneLine } from '../remote-text.js';
import { registerSecret } from '../secrets.js';

/** Where the DigitalOcean API lives. */
export const DEFAULT_DIGITALOCEAN_API_URL = 'https://api.digitalocean.com';

/** The registry the credentials are for. */
export const DIGITALOCEAN_REGISTRY = 'registry.digitalocean.com';

/** A docker login; the same shape as `RegistryLogin` in inputs.ts, which the deploy steps take. */
export interface RegistryLogin {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/** What tests replace: the environment (`MONARCH_DIGITALOCEAN_API_URL`) and the time allowed. */
export interface DigitalOceanOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** The API refused, failed, or answered something that is not a docker login. */
export class DigitalOceanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigitalOceanError';
  }
}

/**
 * The API's base URL. `MONARCH_DIGITALOCEAN_API_URL` exists for tests, to reach a local
 * stand-in; it is deliberately not an input, and only a loopback address is honoured.
 */
export function digitalOceanApiUrl(env: NodeJS.ProcessEnv = process.env): string {
  return apiBaseUrl('MONARCH_DIGITALOCEAN_API_URL', DEFAULT_DIGITALOCEAN_API_URL, env).replace(
    /\/+$/,
    '',
  );
}

/**
 * Asks DigitalOcean for read-only registry credentials valid for `expirySeconds`, masks them,
 * and returns them for `docker login`.
 */
export async function fetchDigitalOceanRegistryLogin(
  token: string,
  expirySeconds: number,
  options: DigitalOceanOptions = {},
): Promise<RegistryLogin> {
  if (!token) throw new DigitalOceanError("'digitalocean-token' is empty");
  if (!Number.isInteger(expirySeconds) || expirySeconds <= 0) {
    throw new DigitalOceanError(
      `the credentials' lifetime must be a whole number of seconds, got ${expirySeconds}`,
    );
  }
  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = new URL(`${digitalOceanApiUrl(options.env)}/v2/registry/docker-credentials`);
  url.searchParams.set('expiry_seconds', String(expirySeconds));
  url.searchParams.set('read_write', 'false');

  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      // A redirect would carry the token to wherever it points.
      redirect: 'error',
      signal,
    });
    body = await readBoundedText(response, 'the DigitalOcean API');
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw new DigitalOceanError(error.message);
    if (signal.aborted) {
      throw new DigitalOceanError(
        `the DigitalOcean API did not answer within ${timeoutMs / 1000} s`,
      );
    }
    throw new DigitalOceanError(`could not reach the DigitalOcean API: ${reason(error)}`);
  }
  if (response.status === 401 || response.status === 403) {
    throw new DigitalOceanError(
      `DigitalOcean refused 'digitalocean-token' (HTTP ${response.status}${apiMessage(body)}): ` +
        'the token is invalid or expired, or lacks the registry read scope; create one with ' +
        'registry read access and store it as the secret you pass as digitalocean-token',
    );
  }
  if (!response.ok) {
    const hint = response.status === 404 ? ': does this account have a container registry?' : '';
    throw new DigitalOceanError(
      `the DigitalOcean registry credentials request failed (HTTP ${response.status}${apiMessage(body)})${hint}`,
    );
  }
  return parseDockerConfig(body);
}

/**
 * Reads `{"auths":{"registry.digitalocean.com":{"auth":"<base64 user:password>"}}}` and masks
 * what it holds. An error never quotes the answer: it may hold the credentials.
 */
export function parseDockerConfig(body: string): RegistryLogin {
  const malformed = (what: string) =>
    new DigitalOceanError(
      `the DigitalOcean API answered something that is not a docker login (${what}); ` +
        'is MONARCH_DIGITALOCEAN_API_URL (if set) right?',
    );
  let config: unknown;
  try {
    config = JSON.parse(body);
  } catch {
    throw malformed('not JSON');
  }
  const auths = field(config, 'auths');
  const auth = field(field(auths, DIGITALOCEAN_REGISTRY), 'auth');
  if (typeof auth !== 'string' || auth === '') {
    throw malformed(`no auths["${DIGITALOCEAN_REGISTRY}"].auth`);
  }
  registerSecret(auth);
  const decoded = Buffer.from(auth, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (!/^[A-Za-z0-9+/]+=*$/.test(auth) || colon <= 0 || colon === decoded.length - 1) {
    throw malformed('auth is not base64 of user:password');
  }
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // DigitalOcean makes the user name a token too, so it is as secret as the password.
  registerSecret(decoded);
  registerSecret(password);
  registerSecret(username);
  return { server: DIGITALOCEAN_REGISTRY, username, password };
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** DigitalOcean's own error text (`{"id":"unauthorized","message":"Unable to authenticate you"}`). */
function apiMessage(body: string): string {
  try {
    const message = field(JSON.parse(body), 'message');
    return typeof message === 'string' && message ? `: ${oneLine(message.slice(0, 200))}` : '';
  } catch {
    return '';
  }
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}
