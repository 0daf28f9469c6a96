/**
 * One service of a compose file made into a Swarm service: the action's `.env` (an `env_file`
 * Swarm cannot read by compose's rules) merged into `environment`, a rolling update that keeps
 * a replica serving, and a warning for each option `docker stack deploy` ignores. Also the tree
 * both steps of rendering work on, and its error. No message ever quotes a value.
 */
import type { StackService } from '../types/settings.js';

export type { StackService } from '../types/settings.js';

/** A plain number or boolean of the compose file, kept as written so docker reads it its way. */
export class RawScalar {
  constructor(readonly source: string) {}
}

/** A value of the document: mappings are `Map`s (their order kept), sequences arrays. */
export type StackNode = string | number | boolean | null | RawScalar | StackNode[] | StackMap;
export type StackMap = Map<string, StackNode>;

/** A compose file that cannot become a stack file; names the place, never quotes a value. */
export class StackFileError extends Error {
  constructor(path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'StackFileError';
  }
}

/** `services.web.ports[0].published`. */
export function formatPath(path: readonly (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${part}` : part))
    .join('');
}

export const isMap = (node: StackNode | undefined): node is StackMap => node instanceof Map;

/**
 * What docker/cli's stack loader ignores (`UnsupportedProperties` and `DeprecatedProperties` of
 * cli/compose/types), and `depends_on`, which it reads but never turns into anything.
 */
const IGNORED: Readonly<Record<string, string>> = {
  build: " (Swarm pulls 'image')",
  cgroup_parent: '',
  cgroupns_mode: '',
  container_name: ': tasks are named by Swarm',
  depends_on: ': Swarm starts every service at once',
  devices: '',
  domainname: '',
  expose: ': services on the same network reach each other on any port',
  external_links: '',
  ipc: '',
  links: '',
  mac_address: '',
  network_mode: '',
  pid: '',
  privileged: '',
  restart: ': use deploy.restart_policy',
  security_opt: '',
  shm_size: '',
  userns_mode: '',
};

/** What docker/cli's stack loader refuses (`ForbiddenProperties`), with its advice. */
const FORBIDDEN: Readonly<Record<string, string>> = {
  extends: 'not supported by docker stack deploy',
  volume_driver: 'not supported by Swarm: set the driver on a top-level volume',
  volumes_from: 'not supported by Swarm: share a top-level volume instead',
  cpu_quota: 'not supported by Swarm: use deploy.resources',
  cpu_shares: 'not supported by Swarm: use deploy.resources',
  cpuset: 'not supported by Swarm: use deploy.resources',
  mem_limit: 'not supported by Swarm: use deploy.resources',
  memswap_limit: 'not supported by Swarm: use deploy.resources',
};

/** Makes `service` (already interpolated) a Swarm service, in place; returns what it is. */
export function convertService(
  name: string,
  service: StackNode,
  env: ReadonlyMap<string, string>,
  warnings: string[],
): StackService {
  const at = `services.${name}`;
  if (!isMap(service)) throw new StackFileError(at, 'expected a mapping');
  const image = service.get('image');
  if (image === undefined || image === null || image === '')
    throw new StackFileError(at, "no 'image': Swarm does not build images ('build' is ignored)");
  if (typeof image !== 'string') throw new StackFileError(`${at}.image`, 'expected a string');
  for (const key of service.keys()) {
    if (Object.hasOwn(FORBIDDEN, key)) throw new StackFileError(`${at}.${key}`, FORBIDDEN[key]);
    if (Object.hasOwn(IGNORED, key)) warnings.push(`${at}.${key}: ignored by Swarm${IGNORED[key]}`);
  }
  dependsOnAsList(service);
  mergeDotEnv(at, service, env, warnings);
  const hostModePorts = readPorts(at, service, warnings);
  const updateOrder = setUpdateOrder(at, service, hostModePorts.length > 0);
  return { name, image, hostModePorts, updateOrder };
}

/** The v3 schema takes `depends_on` as a list only: the long form keeps just the names. */
function dependsOnAsList(service: StackMap): void {
  const dependsOn = service.get('depends_on');
  if (isMap(dependsOn)) service.set('depends_on', [...dependsOn.keys()]);
}

/** The names of the action's `.env`, which Swarm would read by docker's own rules. */
const DOT_ENV = new Set(['.env', './.env']);

/**
 * `env_file: .env` (string, list or long syntax) becomes the values of `env` in `environment`,
 * under its own entries, as compose ranks them; other files stay for docker to read.
 */
function mergeDotEnv(
  at: string,
  service: StackMap,
  env: ReadonlyMap<string, string>,
  warnings: string[],
): void {
  const envFile = service.get('env_file');
  const entries = envFile === undefined || envFile === null ? [] : [envFile].flat();
  let usesDotEnv = false;
  const kept: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const file = isMap(entry) ? entry.get('path') : entry;
    if (typeof file !== 'string') {
      const where = Array.isArray(envFile) ? `${at}.env_file[${i}]` : `${at}.env_file`;
      throw new StackFileError(where, 'expected a file name');
    }
    if (DOT_ENV.has(file)) {
      usesDotEnv = true;
      continue;
    }
    // The v3 schema takes names only: a long-syntax entry keeps its path.
    kept.push(file);
    warnings.push(
      `${at}.env_file: ${file} is read by docker's own rules on the manager, not compose's`,
    );
  }
  if (kept.length > 0) service.set('env_file', kept);
  else service.delete('env_file');
  const environment = readEnvironment(at, service.get('environment'), env);
  const merged: StackMap = usesDotEnv ? new Map(env) : new Map();
  for (const [key, value] of environment) merged.set(key, value);
  if (service.has('environment') || merged.size > 0) service.set('environment', merged);
}

/** `environment` as a map; a bare `KEY` takes its value from `env` (else stays null). */
function readEnvironment(
  at: string,
  environment: StackNode | undefined,
  env: ReadonlyMap<string, string>,
): StackMap {
  if (environment === undefined || environment === null) return new Map();
  const map: StackMap = new Map();
  if (isMap(environment)) {
    for (const [key, value] of environment) map.set(key, value ?? env.get(key) ?? null);
    return map;
  }
  if (!Array.isArray(environment))
    throw new StackFileError(`${at}.environment`, 'expected a mapping or a list');
  for (const [i, item] of environment.entries()) {
    if (typeof item !== 'string')
      throw new StackFileError(`${at}.environment[${i}]`, 'expected KEY=VALUE or KEY');
    const equals = item.indexOf('=');
    if (equals < 0) map.set(item, env.get(item) ?? null);
    else map.set(item.slice(0, equals), item.slice(equals + 1));
  }
  return map;
}

/** The text of a scalar, as docker would read it as a port; undefined for anything else. */
function scalarText(node: StackNode | undefined): string | undefined {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'number') return String(node);
  if (node instanceof RawScalar) return node.source;
  return undefined;
}

/**
 * The ports published in host mode (a range `8000-8001` counts every port in it), and one
 * warning when a short-syntax entry publishes through the routing mesh.
 */
function readPorts(at: string, service: StackMap, warnings: string[]): number[] {
  const ports = service.get('ports');
  if (ports === undefined || ports === null) return [];
  if (!Array.isArray(ports)) throw new StackFileError(`${at}.ports`, 'expected a list');
  const hostMode: number[] = [];
  let shortSyntax = false;
  for (const [i, port] of ports.entries()) {
    if (!isMap(port)) {
      shortSyntax = true;
      continue;
    }
    if (port.get('mode') !== 'host') continue;
    const published = scalarText(port.get('published'));
    if (published === undefined) continue;
    const range = /^(\d+)(?:-(\d+))?$/.exec(published);
    if (!range) throw new StackFileError(`${at}.ports[${i}].published`, 'expected a port number');
    const [first, last] = [Number(range[1]), Number(range[2] ?? range[1])];
    for (let p = first; p <= last; p++) hostMode.push(p);
  }
  if (shortSyntax) {
    warnings.push(
      `${at}.ports: published through Swarm's routing mesh (ingress); use mode: host to bind on the node itself`,
    );
  }
  return hostMode;
}

/**
 * Without an `update_config`, one that keeps a replica serving (start-first), unless a
 * host-mode port would keep the new task from starting beside the old one; pauses on failure.
 */
function setUpdateOrder(
  at: string,
  service: StackMap,
  hostMode: boolean,
): StackService['updateOrder'] {
  let deploy = service.get('deploy');
  if (deploy === undefined || deploy === null) {
    deploy = new Map();
    service.set('deploy', deploy);
  }
  if (!isMap(deploy)) throw new StackFileError(`${at}.deploy`, 'expected a mapping');
  const update = deploy.get('update_config');
  if (isMap(update)) return update.get('order') === 'start-first' ? 'start-first' : 'stop-first';
  if (update !== undefined && update !== null)
    throw new StackFileError(`${at}.deploy.update_config`, 'expected a mapping');
  const order = hostMode ? 'stop-first' : 'start-first';
  deploy.set(
    'update_config',
    new Map<string, StackNode>([
      ['order', order],
      ['failure_action', 'pause'],
    ]),
  );
  return order;
}

/**
 * A file of version 3 to 3.3 is read as 3.4, the first whose schema has `update_config.order`
 * (which the action sets where a service has no `update_config`): every file of those
 * versions is one of 3.4 too.
 */
export function raiseOldVersion(root: StackMap, warnings: string[]): void {
  const value = root.get('version');
  const text = value instanceof RawScalar ? value.source : typeof value === 'string' ? value : '';
  if (!/^3(\.[0-3])?$/.test(text.trim())) return;
  root.set('version', '3.4');
  warnings.push(`version: '${text.trim()}' is read as '3.4', the first with update_config.order`);
}
