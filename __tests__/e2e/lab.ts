/**
 * Test-side handle on the end-to-end lab started by `scripts/lab/up.sh` (fake droplets in network
 * namespaces: real sshd, real dockerd, a private registry). Everything here runs as root on the
 * test machine and talks to the droplets directly (docker socket, netns), never over SSH, so the
 * tests can check what the action did without going through the code under test.
 *
 * Droplet ports published on 127.0.0.1 are only reachable inside the droplet's network namespace:
 * use {@link servedVersion}. Every SSH session is logged by the droplet's sshd, see
 * {@link commandLog} and {@link loggedCommands}.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One droplet of the lab, as written to lab.json by up.sh. */
export interface LabDroplet {
  /** 1-based droplet number (the `i` of the helpers below). */
  index: number;
  /** Its IP address (10.210.0.(10+i)); sshd listens on `host:port`. */
  host: string;
  port: number;
  /** Network namespace name (`mdroplet<i>`), see /run/netns. */
  netns: string;
  /** Host directory bound over the droplet's /opt (holds /opt/setup_complete, /opt/monarch). */
  opt: string;
  /** Unix socket of the droplet's dockerd (what DOCKER_HOST points to in SSH sessions). */
  dockerSock: string;
  /** DOCKER_CONFIG of the SSH user's sessions (config.json appears here after `docker login`). */
  dockerConfig: string;
  /** DOCKER_CONFIG of root's sessions. */
  dockerConfigRoot: string;
  /** One line per SSH session: `<UTC time>\t<user>\t<escaped command>`. */
  commandLog: string;
  sshdLog: string;
  sshdPidFile: string;
  dockerdPidFile: string;
  /** `ssh-ed25519 AAAA...` (type and key, no comment). */
  hostKeyPub: string;
  /** Host key fingerprint as `ssh-keygen -lf` prints it: `SHA256:...`. */
  fingerprint: string;
  /** Droplet 1 has the compose v2 CLI syntax (a shim over compose v1), droplets 2+ only v1. */
  composeCommand: 'docker compose' | 'docker-compose';
}

/** The lab, as written to `$LAB_ROOT/lab.json` by up.sh. */
export interface Lab {
  root: string;
  /** Absolute path of scripts/lab (for the *-ctl.sh helpers). */
  scriptsDir: string;
  /** Private key (OpenSSH format) authorized for both `root` and {@link Lab.sshUser}. */
  sshKey: string;
  sshUser: string;
  /** known_hosts file with one `ip keytype key` line per droplet. */
  knownHosts: string;
  /** Registry address `10.210.0.1:5000` (plain HTTP, basic auth). */
  registry: string;
  registryUser: string;
  registryPassword: string;
  /** `10.210.0.1:5000/monarch/app`; tags v1, v2, latest (= v2), unhealthy, crash. */
  image: string;
  registryPidFile: string;
  droplets: LabDroplet[];
}

/** Reads `${LAB_ROOT:-/tmp/monarch-lab}/lab.json`; throws if the lab is not up. */
export function loadLab(): Lab {
  const root = process.env.LAB_ROOT ?? '/tmp/monarch-lab';
  const file = join(root, 'lab.json');
  if (!existsSync(file)) {
    throw new Error(`no lab at ${root}: run "sudo bash scripts/lab/up.sh" first`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Lab;
}

/** Droplet `i` (1-based) of the lab; throws if the lab has fewer droplets. */
export function droplet(lab: Lab, i: number): LabDroplet {
  const d = lab.droplets.find((x) => x.index === i);
  if (!d) throw new Error(`the lab has no droplet ${i} (it has ${lab.droplets.length})`);
  return d;
}

/** Runs a command, returns its stdout; throws with its stderr when it fails or times out. */
function run(cmd: string, args: string[], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): Buffer {
  const r = spawnSync(cmd, args, {
    timeout: timeoutMs,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${cmd} ${args.join(' ')}: ${why}: ${r.stderr?.toString().trim() ?? ''}`);
  }
  return r.stdout;
}

/** Runs one of the scripts/lab helpers for this lab. */
function script(lab: Lab, name: string, args: string[]): void {
  run('bash', [join(lab.scriptsDir, name), ...args], 60_000, {
    ...process.env,
    LAB_ROOT: lab.root,
  });
}

function dockerRaw(lab: Lab, i: number, args: string[]): Buffer {
  return run('docker', ['-H', `unix://${droplet(lab, i).dockerSock}`, ...args]);
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

/** Runs the docker CLI against droplet `i`'s daemon; returns stdout, throws with stderr. */
export function dockerOn(lab: Lab, i: number, args: string[]): string {
  return dockerRaw(lab, i, args).toString('utf8');
}

/**
 * GET http://127.0.0.1:<port>/version.txt inside droplet `i`'s network namespace (where the
 * service's `127.0.0.1:8080:8080` port is published). Returns the trimmed body, or null when
 * nothing answers (successfully) within 2 s.
 */
export function servedVersion(lab: Lab, i: number, port = 8080): string | null {
  const r = spawnSync(
    'nsenter',
    [
      `--net=/run/netns/${droplet(lab, i).netns}`,
      'curl',
      '-fsS',
      '-m',
      '2',
      `http://127.0.0.1:${port}/version.txt`,
    ],
    { timeout: 5_000, encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * The environment of a container's PID 1 (`/proc/1/environ`, via `docker exec`), split on NUL so
 * values with newlines or `=` come back exactly as the process sees them.
 */
export function containerEnv(lab: Lab, i: number, containerId: string): Record<string, string> {
  const env: Record<string, string> = {};
  const raw = dockerRaw(lab, i, ['exec', containerId, 'cat', '/proc/1/environ']).toString('utf8');
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Full ids of the running containers on droplet `i`. */
export function runningContainers(lab: Lab, i: number): string[] {
  return lines(dockerOn(lab, i, ['ps', '-q', '--no-trunc']));
}

/** `repository:tag` of every image on droplet `i` (`<none>:<none>` for dangling ones). */
export function images(lab: Lab, i: number): string[] {
  return lines(dockerOn(lab, i, ['images', '--format', '{{.Repository}}:{{.Tag}}']));
}

/** Creates (`done`) or removes droplet `i`'s /opt/setup_complete (owned by root, like cloud-init's). */
export function setupComplete(lab: Lab, i: number, done: boolean): void {
  const marker = join(droplet(lab, i).opt, 'setup_complete');
  if (done) writeFileSync(marker, '');
  else rmSync(marker, { force: true });
}

/** The raw SSH command log of droplet `i` (one line per session, see {@link loggedCommands}). */
export function commandLog(lab: Lab, i: number): string {
  const file = droplet(lab, i).commandLog;
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** One SSH session seen by a droplet's sshd. */
export interface LoggedCommand {
  /** UTC time the session started, e.g. `2026-01-31T12:00:00.123Z`. */
  time: string;
  user: string;
  /**
   * The command exactly as the client sent it (unescaped), `/usr/lib/openssh/sftp-server` for
   * SFTP (and scp), null for an interactive session.
   */
  command: string | null;
}

/** The SSH sessions droplet `i` has seen since the last reset, oldest first. */
export function loggedCommands(lab: Lab, i: number): LoggedCommand[] {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\' };
  const unescape = (s: string): string =>
    s.replace(/\\([\\ntr])/g, (_, c: string) => escapes[c] ?? c);
  return lines(commandLog(lab, i)).map((line) => {
    const [time = '', user = '', cmd = ''] = line.split('\t');
    return { time, user, command: cmd === '<interactive>' ? null : unescape(cmd) };
  });
}

/**
 * Stops or starts droplet `i`'s sshd listener (same config and host key). `stop` keeps open
 * sessions; `kill-sessions` kills every session (and what it runs) but keeps the listener.
 */
export function sshdCtl(
  lab: Lab,
  i: number,
  action: 'stop' | 'start' | 'restart' | 'kill-sessions',
): void {
  script(lab, 'sshd-ctl.sh', [String(i), action]);
}

/**
 * Firewalls droplet `i`'s tcp/22: `reject` (TCP reset: connection refused), `drop` (silence:
 * connect timeout), `clear` (no rules).
 */
export function netCtl(
  lab: Lab,
  i: number,
  action: 'reject' | 'drop' | 'clear' | 'only-from',
  from?: string,
): void {
  script(lab, 'net-ctl.sh', [String(i), action, ...(from ? [from] : [])]);
}

/**
 * Controls the registry: `stop`/`start` it, or `hang` it (SIGSTOP: connections open but nothing
 * ever answers) and `unhang` it. `start` also un-hangs and is a no-op when it runs.
 */
export function registryCtl(lab: Lab, action: 'stop' | 'start' | 'hang' | 'unhang'): void {
  script(lab, 'registry-ctl.sh', [action]);
}

/**
 * Brings droplet `i` back to a blank state: registry running, no firewall rules, no SSH sessions
 * but sshd listening, no containers, images, networks or volumes, an empty /opt (apart from
 * /opt/containerd, which containerd keeps there as on a real Docker host), no registry login,
 * an empty command log.
 */
export function resetDroplet(lab: Lab, i: number): void {
  const d = droplet(lab, i);
  registryCtl(lab, 'start');
  netCtl(lab, i, 'clear');
  sshdCtl(lab, i, 'kill-sessions');
  sshdCtl(lab, i, 'start');

  const containers = lines(dockerOn(lab, i, ['ps', '-aq']));
  if (containers.length) dockerOn(lab, i, ['rm', '-f', '-v', ...containers]);
  const imageIds = [...new Set(lines(dockerOn(lab, i, ['images', '-aq'])))];
  if (imageIds.length) dockerOn(lab, i, ['rmi', '-f', ...imageIds]);
  dockerOn(lab, i, ['network', 'prune', '-f']);
  const volumes = lines(dockerOn(lab, i, ['volume', 'ls', '-q']));
  if (volumes.length) dockerOn(lab, i, ['volume', 'rm', '-f', ...volumes]);

  for (const name of readdirSync(d.opt)) {
    if (name !== 'containerd') rmSync(join(d.opt, name), { recursive: true, force: true });
  }
  for (const dir of [d.dockerConfig, d.dockerConfigRoot]) {
    rmSync(join(dir, 'config.json'), { force: true });
  }
  writeFileSync(d.commandLog, '');
}

/** Loads the lab and brings droplets `indices` back to a blank state, their setup complete. */
export function readyDroplets(...indices: number[]): Lab {
  const lab = loadLab();
  for (const i of indices) {
    resetDroplet(lab, i);
    setupComplete(lab, i, true);
  }
  return lab;
}
