/**
 * The environment variables that point the action's API clients at a local stand-in in tests
 * (`MONARCH_SLACK_API_URL`, `MONARCH_DIGITALOCEAN_API_URL`). Any earlier step of the job can set
 * a variable for the later ones through GITHUB_ENV, and the token goes wherever the URL says:
 * so an override is honoured only for a loopback address, and any other is refused.
 */

/** The overrides the action reads, each with the API it replaces. */
export const API_URL_OVERRIDES = {
  MONARCH_SLACK_API_URL: 'the Slack Web API',
  MONARCH_DIGITALOCEAN_API_URL: 'the DigitalOcean API',
} as const;

export type ApiUrlOverride = keyof typeof API_URL_OVERRIDES;

/** An override that points somewhere else than this machine. */
export class ApiUrlOverrideError extends Error {
  constructor(
    readonly variable: ApiUrlOverride,
    got: string,
  ) {
    super(
      `Refused environment variable '${variable}': expected nothing, or a loopback URL such as ` +
        `http://127.0.0.1:8080/ (it exists for tests, to reach a stand-in for ` +
        `${API_URL_OVERRIDES[variable]}), got ${got}. An earlier step of the job may have set it ` +
        'through GITHUB_ENV to send the token elsewhere: unset it',
    );
    this.name = 'ApiUrlOverrideError';
  }
}

/**
 * True for a URL host that is this machine by its address: 127.0.0.0/8, `[::1]` or `localhost`
 * (the WHATWG parser has already turned `127.1` or `0x7f.0.0.1` into dotted form).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}

/** True for an http(s) URL whose host is a loopback address. */
export function isLoopbackUrl(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
}

/**
 * The base URL of an API: `fallback`, or `env[variable]` when it is set and names a loopback
 * address; throws `ApiUrlOverrideError` for any other value, before a token could be sent.
 */
export function apiBaseUrl(
  variable: ApiUrlOverride,
  fallback: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const value = env[variable];
  if (!value) return fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiUrlOverrideError(variable, 'something that is not a URL');
  }
  if (!isLoopbackUrl(url)) {
    const what = /^https?:$/.test(url.protocol) ? `host '${url.hostname}'` : url.protocol;
    throw new ApiUrlOverrideError(variable, `a URL for ${what}`);
  }
  return value;
}

/** Checks every override in `env`; throws the first refusal. */
export function checkApiUrlOverrides(env: NodeJS.ProcessEnv = process.env): void {
  for (const variable of Object.keys(API_URL_OVERRIDES) as ApiUrlOverride[]) {
    apiBaseUrl(variable, '', env);
  }
}
