/**
 * `mode: compose`: how each service of the compose file is rolled. A service with
 * `deploy.update_config.order: start-first` (the Compose spec's own field, which Swarm reads
 * the same way) gets its new containers beside the old ones before those stop; every other one
 * is recreated by `up -d`, as compose does it. Read on the runner, from the compose file as
 * compose will read it (its `${VAR}` substituted with the values of `env`), so a start-first
 * service that cannot run twice at once fails before any host is touched. Pure; no message
 * ever quotes a value.
 */
import { isMap, RawScalar, StackFileError, type StackNode } from '../swarm/stack-services.js';
import type { RolloutPlan, StartFirstService } from '../types/settings.js';

export { StackFileError as ComposeFileError } from '../swarm/stack-services.js';

/** What `docker stop` waits after SIGTERM when the file says nothing (compose's default). */
const DEFAULT_GRACE_SECONDS = 10;

/** What makes two containers of one service collide on the host, and what to do instead. */
const EXCLUSIVE: Readonly<Record<string, string>> = {
  ports:
    'publishes host ports, which its old and new containers cannot both bind: publish them on a reverse proxy in front (another service of the file, reaching this one by its service name) and remove them here',
  container_name:
    'sets container_name, which its old and new containers cannot both have: remove it (the proxy in front reaches the service by its service name)',
  network_mode:
    'shares a network stack where its old and new containers would bind the same ports: remove network_mode, and put a reverse proxy in front',
};

/**
 * The rollout plan of the compose file's tree (see `readComposeTree`), or null when no service
 * is start-first. Throws `ComposeFileError` for a start-first service that cannot run twice at
 * once (host `ports`, `container_name`, `network_mode`) or a value compose would refuse.
 */
export function rolloutPlan(root: StackNode): RolloutPlan | null {
  if (!isMap(root)) return null;
  const services = root.get('services');
  if (!isMap(services)) return null;
  const startFirst = new Map<string, StartFirstService>();
  for (const [name, service] of services) {
    if (!isMap(service) || !isStartFirst(service)) continue;
    const at = `services.${name}`;
    for (const key of Object.keys(EXCLUSIVE)) {
      if (!present(service.get(key))) continue;
      if (key === 'network_mode' && !/^(host|container:|service:)/.test(text(service.get(key))))
        continue;
      throw new StackFileError(
        `${at}.${key}`,
        `the service is start-first (deploy.update_config.order), but it ${EXCLUSIVE[key]}; or roll it by recreating (drop update_config.order)`,
      );
    }
    const replicas = readReplicas(at, service);
    if (replicas === 0) continue;
    startFirst.set(name, {
      name,
      replicas,
      stopGraceSeconds: readDuration(`${at}.stop_grace_period`, service.get('stop_grace_period')),
      healthcheck: readHealthcheck(service.get('healthcheck')),
    });
  }
  if (startFirst.size === 0) return null;
  const order = dependencyOrder(services);
  return {
    startFirst: order.flatMap((name) => startFirst.get(name) ?? []),
    recreate: order.filter((name) => !startFirst.has(name)),
  };
}

function isStartFirst(service: Map<string, StackNode>): boolean {
  const deploy = service.get('deploy');
  const update = isMap(deploy) ? deploy.get('update_config') : undefined;
  return isMap(update) && update.get('order') === 'start-first';
}

const present = (node: StackNode | undefined): boolean =>
  node !== undefined &&
  node !== null &&
  node !== '' &&
  !(Array.isArray(node) && node.length === 0) &&
  !(isMap(node) && node.size === 0);

function text(node: StackNode | undefined): string {
  if (typeof node === 'string') return node.trim();
  if (node instanceof RawScalar) return node.source;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  return '';
}

/** `deploy.replicas`, else `scale`, else 1. */
function readReplicas(at: string, service: Map<string, StackNode>): number {
  const deploy = service.get('deploy');
  const fromDeploy = isMap(deploy) ? deploy.get('replicas') : undefined;
  const [path, node] = present(fromDeploy)
    ? [`${at}.deploy.replicas`, fromDeploy]
    : [`${at}.scale`, service.get('scale')];
  if (!present(node)) return 1;
  const value = text(node);
  if (!/^\d{1,3}$/.test(value)) throw new StackFileError(path, 'expected a whole number up to 999');
  return Number(value);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  µs: 1e-6,
  ns: 1e-9,
};

/** A compose duration (`1m30s`, `10s`, `500ms`, or bare seconds) as whole seconds, rounded up. */
export function readDuration(path: string, node: StackNode | undefined): number {
  if (!present(node)) return DEFAULT_GRACE_SECONDS;
  const value = text(node);
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value)
    throw new StackFileError(path, `expected a duration such as '10s' or '1m30s'`);
  const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit], 0);
  return Math.min(3600, Math.ceil(seconds));
}

/** true: the file gives a healthcheck; false: it disables one; null: it says nothing. */
function readHealthcheck(node: StackNode | undefined): boolean | null {
  if (!isMap(node)) return null;
  if (node.get('disable') === true || text(node.get('disable')) === 'true') return false;
  const test = node.get('test');
  const first = Array.isArray(test) ? text(test[0]) : text(test);
  if (first === 'NONE') return false;
  return present(test) ? true : null;
}

/** Every service, each after the ones it depends on (`depends_on`), else in file order. */
function dependencyOrder(services: Map<string, StackNode>): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.includes(name) || visiting.has(name) || !services.has(name)) return;
    visiting.add(name);
    const service = services.get(name);
    const deps = isMap(service) ? service.get('depends_on') : undefined;
    const names = isMap(deps) ? [...deps.keys()] : Array.isArray(deps) ? deps.map(text) : [];
    for (const dep of names) visit(dep);
    visiting.delete(name);
    order.push(name);
  };
  for (const name of services.keys()) visit(name);
  return order;
}
