/**
 * A real reverse proxy in front of the test app, as a user runs one: Debian's Caddy (the lab's
 * FROM scratch image of it, scripts/lab/up.sh) as another service of the compose file,
 * publishing the host port and reaching the app by its service name; and a sampler that asks
 * through it, from the test process, at a steady rate while a deploy runs.
 */
import { droplet, type Lab } from './lab.js';

/** The proxy's port on the droplet's address. */
export const PROXY_PORT = 8090;

/**
 * The Caddyfile the README's "Zero-downtime deploys" section gives, as tested: upstreams from
 * Docker's DNS every second (`dynamic a`); a connection refused (a container not listening yet)
 * or not answered within 300 ms (a stopped container's address, still in the DNS answer for up
 * to a second) is retried on another upstream for up to 5 s (`lb_try_duration`), and that
 * upstream left alone for 2 s (`fail_duration`).
 */
export const CADDYFILE = `{
	admin off
	auto_https off
}

:80 {
	reverse_proxy {
		dynamic a app 8080 {
			refresh 1s
		}
		lb_try_duration 5s
		lb_try_interval 100ms
		fail_duration 2s
		transport http {
			dial_timeout 300ms
		}
	}
}
`;

/** What the compose file's app service is given, beyond its image. */
export interface AppOptions {
  /** Rolled start-first (`deploy.update_config.order`); otherwise recreated by `up -d`. */
  readonly startFirst?: boolean;
  readonly replicas?: number;
  /** Lines added under the app service (already indented by four spaces). */
  readonly extra?: string;
}

/** A compose file of the app (`${IMAGE}:${APP_TAG}`, a slow-* tag) behind the proxy. */
export function proxiedCompose(lab: Lab, options: AppOptions = {}): string {
  const deploy: string[] = [];
  if (options.replicas !== undefined) deploy.push(`      replicas: ${options.replicas}`);
  if (options.startFirst) deploy.push('      update_config:', '        order: start-first');
  return `services:
  app:
    image: \${IMAGE}:\${APP_TAG}
    init: true
    stop_grace_period: 3s
${deploy.length ? `    deploy:\n${deploy.join('\n')}\n` : ''}${options.extra ?? ''}  proxy:
    image: ${lab.registry}/monarch/caddy:2.6
    ports: ["${PROXY_PORT}:80"]
    volumes: ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
    depends_on: [app]
`;
}

/** The workspace of a proxied deploy: its compose file and the Caddyfile it mounts. */
export function proxiedWorkspace(compose: string): Record<string, string> {
  return { 'docker-compose.yml': compose, Caddyfile: CADDYFILE };
}

/** The URL of the app's version through the proxy on droplet `i` (a lab address only). */
export function proxyUrl(lab: Lab, i: number): string {
  const host = droplet(lab, i).host;
  if (!/^10\.210\.0\.\d+$/.test(host)) throw new Error(`not a lab address: ${host}`);
  return `http://${host}:${PROXY_PORT}/version.txt`;
}

/** One answer (or none) of the proxy. */
export interface Sample {
  /** Milliseconds since the sampling began, when the request was sent. */
  readonly at: number;
  /** The body (trimmed) of a 200 answer; null for an error or another status. */
  readonly version: string | null;
  readonly error?: string;
}

/** What a sampling run saw. */
export interface Sampled<T> {
  readonly result: T;
  readonly samples: readonly Sample[];
  readonly failed: number;
  /** The longest time (ms) between two successful answers' requests. */
  readonly longestGapMs: number;
}

/** GET `url` once, 2 s at most. */
export async function ask(url: string): Promise<string | null> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.text()).trim();
    return response.status === 200 ? body : null;
  } catch {
    return null;
  }
}

/**
 * Asks `url` every `1000 / rate` ms (each request on its own, not waiting for the one before)
 * while `body` runs, and until every request sent has been answered or has failed. Bounded:
 * at most `maxMs` of sampling.
 */
export async function sampleWhile<T>(
  url: string,
  body: () => Promise<T>,
  rate = 25,
  maxMs = 300_000,
): Promise<Sampled<T>> {
  const started = Date.now();
  const pending: Promise<Sample>[] = [];
  let running = true;
  const timer = setInterval(() => {
    if (!running || Date.now() - started > maxMs) return;
    const at = Date.now() - started;
    pending.push(
      fetch(url, { signal: AbortSignal.timeout(2_000) })
        .then(async (response) => {
          const text = (await response.text()).trim();
          return response.status === 200
            ? { at, version: text }
            : { at, version: null, error: `HTTP ${response.status}` };
        })
        .catch((error: unknown) => ({ at, version: null, error: String(error) })),
    );
  }, 1000 / rate);
  let result: T;
  try {
    result = await body();
  } finally {
    running = false;
    clearInterval(timer);
  }
  const samples = (await Promise.all(pending)).sort((a, b) => a.at - b.at);
  const ok = samples.filter((s) => s.version !== null).map((s) => s.at);
  let longestGapMs = 0;
  for (let i = 1; i < ok.length; i++) longestGapMs = Math.max(longestGapMs, ok[i] - ok[i - 1]);
  return {
    result,
    samples,
    failed: samples.filter((s) => s.version === null).length,
    longestGapMs,
  };
}
