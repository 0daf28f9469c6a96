/**
 * A host for script tests, without root: a temporary folder holding app-dir, and stub `docker`
 * (compose too), `flock`, `sleep` and `timeout` that record their calls and answer from a JSON
 * state, the way the real commands do. Each host script runs under a real `sh`: dash, and
 * busybox sh when it is installed (Debian's busybox-static; the unit run says so when it is not).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ShellCommand } from '../../src/shell/command.js';

/** A shell scripts are tested under. */
export interface TestShell {
  readonly name: 'dash' | 'busybox';
  /** argv before `-c`. */
  readonly command: readonly string[];
}

const CANDIDATES: readonly (TestShell & { binary: string })[] = [
  { name: 'dash', command: ['/bin/dash'], binary: '/bin/dash' },
  { name: 'busybox', command: ['/bin/busybox', 'sh'], binary: '/bin/busybox' },
];

/**
 * The shells installed here. A missing one is said in one line, unless the run requires every
 * tool (`MONARCH_REQUIRE_ALL=1`, as `npm test` sets it), where it is an error.
 */
export function testShells(): TestShell[] {
  const works = (shell: TestShell) =>
    spawnSync(shell.command[0], [...shell.command.slice(1), '-c', 'true']).status === 0;
  const found = CANDIDATES.filter(works);
  const missing = CANDIDATES.filter((shell) => !works(shell));
  if (missing.length && process.env.MONARCH_REQUIRE_ALL === '1')
    throw new Error(
      `missing ${missing.map((s) => s.binary).join(', ')}: run scripts/install-test-packages.sh`,
    );
  for (const shell of missing) {
    process.stderr.write(
      `skipped: host scripts under ${shell.name} sh (${shell.binary} is not installed; npm test installs it)\n`,
    );
  }
  return found.map(({ name, command }) => ({ name, command }));
}

/** A container as the docker stub knows it. */
export interface StubContainer {
  ID: string;
  Name: string;
  /** The image ID it runs. */
  Image: string;
  Config: { Image: string; Labels: Record<string, string>; Healthcheck?: { Test: string[] } };
  /** What `docker inspect` reports, call after call (the last one stays). */
  states?: {
    Status?: string;
    ExitCode?: number;
    Health?: 'starting' | 'healthy' | 'unhealthy';
    RestartCount?: number;
    /** RFC 3339 in UTC, as docker reports it (default: the moment of the inspect). */
    StartedAt?: string;
  }[];
  logs?: string[];
}

/** An image as the docker stub knows it. */
export interface StubImage {
  ID: string;
  RepoTags: string[];
  RepoDigests: string[];
}

/** What a compose subcommand answers. */
export interface StubAnswer {
  exit?: number;
  stdout?: string;
  stderr?: string;
}

/** The state the stubs answer from and update. */
/** A Swarm config: its ID (given by the stub when absent, never reused), labels, data in base64. */
export interface StubConfig {
  ID?: string;
  Labels: Record<string, string>;
  Data: string;
}

export interface StubState {
  containers: StubContainer[];
  images: StubImage[];
  /** `docker compose` exists (the v2 plugin). */
  composePlugin: boolean;
  compose: {
    pull?: StubAnswer;
    up?: StubAnswer;
    config?: StubAnswer;
    /** `compose run` (a one-off container): the command's exit and output. */
    run?: StubAnswer;
    /** The container `compose run` leaves behind (as a client killed by a timeout does). */
    runLeaves?: StubContainer;
    /** The registry `pull` pulls from: it checks the docker config's login for it. */
    pullFrom?: string;
    /** The project's containers once `up` succeeds. */
    afterUp?: StubContainer[];
    /** Containers `up` adds beside the project's (`--no-recreate --scale`). */
    addOnUp?: StubContainer[];
  };
  /** The auth (base64 user:password) each registry accepts. */
  registry: Record<string, string>;
  /** `flock -n` succeeds; `flock -w` succeeds (after waiting). */
  flock: { free: boolean; freeAfterWait: boolean };
  /** A swarm this node is part of (see stubs/docker-swarm.mjs); none: `info` and co. fail. */
  swarm?: StubSwarm;
}

/** A task of a service, as `docker service ps` lists it. */
export interface StubTask {
  Name: string;
  CurrentState: string;
  Node?: string;
  Error?: string;
  /** `running` unless said otherwise. */
  DesiredState?: 'running' | 'shutdown';
  /** Of the service's current spec (`_up-to-date`); true unless said otherwise. */
  UpToDate?: boolean;
}

/** What a service reports at one moment. */
export interface StubServiceFrame {
  /** `running/desired`, as `service ls` shows it. */
  replicas?: string;
  /** UpdateStatus.State; `none`: never updated. */
  state?: string;
  message?: string;
  tasks?: StubTask[];
}

/** A service of the stub swarm. */
export interface StubService {
  name: string;
  spec: Record<string, unknown>;
  previousSpec?: Record<string, unknown>;
  /** What it reports, one frame per second of a wait (the last one stays). */
  frames?: StubServiceFrame[];
  /** Its frames after `service rollback`. */
  rollbackFrames?: StubServiceFrame[];
}

/** The swarm the docker stub answers for. */
export interface StubSwarm {
  node?: { state?: string; control?: boolean; quorum?: boolean };
  nodes?: { Hostname: string; Status: string; Availability: string }[];
  services: StubService[];
  /** What `stack deploy` does: the services it creates or updates (their new state). */
  afterDeploy?: { services?: StubService[]; exit?: number; stderr?: string };
  /** Images `pull` does not find. */
  missing?: string[];
  /** Calls (`service ls`, `service inspect`, `service ps`) that fail the next n times. */
  failNext?: Record<string, number>;
  /** Waits so far (kept by the stub). */
  ticks?: number;
  /** Its configs (the swarm-wide lock of a stack is one); Data in base64. */
  configs?: Record<string, StubConfig>;
  /**
   * Once, at the next `config rm`, before it is answered: the config `name` is replaced by
   * `config` (a new ID), as another run that took a stale lease over first would have.
   */
  beforeConfigRm?: { name: string; config: StubConfig };
}

/** One recorded call of a stub. */
export interface StubCall {
  argv: string[];
  cwd: string;
  dockerConfig: string | null;
}

/** What a script run left. */
export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

const STUBS = path.resolve('__tests__/support/stubs');

/** The stubs that busybox sh would run as its own applets: shell functions calling the stub. */
const OVERRIDDEN = ['date', 'flock', 'sleep', 'timeout'];

/**
 * The real commands a host script may use, linked into the sandbox's only PATH folder: nothing
 * else on this machine (a real docker, docker-compose or flock) can answer in a stub's place.
 */
const TOOLS = [
  'awk',
  'base64',
  'basename',
  'cat',
  'chmod',
  'cksum',
  'cp',
  'cut',
  'date',
  'dirname',
  'env',
  'find',
  'grep',
  'head',
  'id',
  'ln',
  'ls',
  'mkdir',
  'mktemp',
  'mv',
  'od',
  'readlink',
  'realpath',
  'rm',
  'sed',
  'sort',
  'stat',
  'tail',
  'tar',
  'touch',
  'tr',
  'uniq',
  'wc',
  'xargs',
];

function linkTools(bin: string, shell: TestShell, clock: boolean): void {
  for (const tool of TOOLS) {
    if (clock && tool === 'date') continue;
    const real = ['/usr/bin', '/bin']
      .map((dir) => path.join(dir, tool))
      .find((file) => existsSync(file));
    if (real) symlinkSync(real, path.join(bin, tool));
  }
  symlinkSync(shell.name === 'busybox' ? '/bin/busybox' : '/bin/dash', path.join(bin, 'sh'));
}

/**
 * A `date` whose `+%s` is a clock that moves one second per call (a wait loop's seconds pass
 * without waiting); any other use is the real date.
 */
function writeClock(bin: string, file: string): void {
  const real = existsSync('/usr/bin/date') ? '/usr/bin/date' : '/bin/date';
  writeFileSync(
    path.join(bin, 'date'),
    `#!/bin/sh
if [ "$1" = +%s ]; then n=$(cat ${file} 2>/dev/null || echo 1000); echo $((n + 1)) >${file}; echo "$n"; else exec ${real} "$@"; fi
`,
    { mode: 0o755 },
  );
}

function writeStubs(bin: string, options: { composeV1: boolean; flock: boolean }): void {
  const node = (stub: string) =>
    `#!${process.execPath}\nimport(${JSON.stringify(path.join(STUBS, stub))});\n`;
  const names = ['docker', ...(options.composeV1 ? ['docker-compose'] : [])];
  for (const name of names)
    writeFileSync(path.join(bin, name), node('docker.mjs'), { mode: 0o755 });
  if (options.flock) writeFileSync(path.join(bin, 'flock'), node('flock.mjs'), { mode: 0o755 });
  // Arguments are recorded as JSON strings: newlines and tabs as spaces, `\` as `/`, `"` as `'`.
  const record = (name: string) =>
    `printf '{"argv":["${name}"%s],"cwd":"%s","dockerConfig":null}\\n' "$(for a in "$@"; do printf ',"%s"' "$(printf '%s' "$a" | tr '\\n\\t\\\\"' "  /'")"; done)" "$PWD" >>"$STUB_CALLS"`;
  const scripts: Record<string, string> = {
    sleep: `${record('sleep')}\nexit 0`,
    timeout: `${record('timeout')}\n[ "$1" = -k ] && shift 2\nshift\nexec "$@"`,
  };
  for (const [name, body] of Object.entries(scripts))
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** A fresh host: app-dir is `<root>/opt/monarch` (not created). */
export class HostSandbox {
  readonly root: string;
  readonly appDir: string;
  private readonly bin: string;
  private readonly stateFile: string;
  private readonly callsFile: string;
  private readonly overrides: string;

  constructor(
    readonly shell: TestShell,
    state: Partial<StubState> = {},
    options: { composeV1?: boolean; flock?: boolean; clock?: boolean } = {},
  ) {
    this.root = mkdtempSync(path.join(tmpdir(), 'monarch-host-'));
    this.appDir = path.join(this.root, 'opt/monarch');
    this.bin = path.join(this.root, 'bin');
    this.stateFile = path.join(this.root, 'stub-state.json');
    this.callsFile = path.join(this.root, 'stub-calls.log');
    mkdirSync(this.bin);
    mkdirSync(path.join(this.root, 'opt'));
    mkdirSync(path.join(this.root, 'home'));
    writeStubs(this.bin, { composeV1: options.composeV1 ?? false, flock: options.flock ?? true });
    linkTools(this.bin, shell, options.clock ?? false);
    if (options.clock) writeClock(this.bin, path.join(this.root, 'clock'));
    this.overrides = OVERRIDDEN.filter((name) => existsSync(path.join(this.bin, name)))
      .map((name) => `${name}() { "${this.bin}/${name}" "$@"; }`)
      .join('\n');
    writeFileSync(this.callsFile, '');
    this.setState({
      containers: [],
      images: [],
      composePlugin: true,
      compose: {},
      registry: {},
      flock: { free: true, freeAfterWait: true },
      ...state,
    });
  }

  /** Runs `command` under this sandbox's shell, with `stdin`. */
  run(command: ShellCommand, stdin: string | Buffer = ''): ScriptRun {
    const script = `${this.overrides}\n${command.text}`;
    const result = spawnSync(
      this.shell.command[0],
      [...this.shell.command.slice(1), '-c', script],
      {
        input: stdin,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: this.bin,
          HOME: path.join(this.root, 'home'),
          STUB_STATE: this.stateFile,
          STUB_CALLS: this.callsFile,
          LC_ALL: 'C',
        },
      },
    );
    if (result.error) throw result.error;
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  state(): StubState {
    return JSON.parse(readFileSync(this.stateFile, 'utf8')) as StubState;
  }

  setState(state: StubState): void {
    writeFileSync(this.stateFile, JSON.stringify(state, null, 2));
    // The docker CLI finds the compose v2 plugin as a file in the user's cli-plugins folder.
    const plugin = path.join(this.root, 'home/.docker/cli-plugins/docker-compose');
    if (state.composePlugin) {
      mkdirSync(path.dirname(plugin), { recursive: true });
      writeFileSync(plugin, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    } else {
      rmSync(plugin, { force: true });
    }
  }

  /** Changes part of the state. */
  update(change: (state: StubState) => void): void {
    const state = this.state();
    change(state);
    this.setState(state);
  }

  /** The stubs' calls so far, as argv lists. */
  calls(): StubCall[] {
    return readFileSync(this.callsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as StubCall);
  }

  /** The calls whose argv starts with `prefix` (e.g. `['docker', 'rmi']`). */
  callsOf(...prefix: string[]): string[][] {
    return this.calls()
      .map((call) => call.argv)
      .filter((argv) => prefix.every((word, i) => argv[i] === word));
  }

  /** A path under the sandbox root. */
  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  /** Writes `content` at `relative` under app-dir (folders made as needed). */
  writeAppFile(relative: string, content: string, mode = 0o644): void {
    const file = path.join(this.appDir, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    chmodSync(file, mode);
  }
}

/** A container of the compose project `project` running `image` for `service`. */
export function composeContainer(
  project: string,
  service: string,
  image: StubImage,
  states: StubContainer['states'] = [{ Status: 'running' }],
  extra: Partial<StubContainer> = {},
): StubContainer {
  return {
    ID: Buffer.from(`${project}/${service}`).toString('hex').padEnd(64, '0').slice(0, 64),
    Name: `/${project}-${service}-1`,
    Image: image.ID,
    Config: {
      Image: image.RepoTags[0] ?? image.ID,
      Labels: {
        'com.docker.compose.project': project,
        'com.docker.compose.service': service,
        'com.docker.compose.oneoff': 'False',
      },
    },
    states,
    ...extra,
  };
}

/** An image with the given tags; its ID derived from `seed`. */
export function stubImage(seed: string, tags: string[], digests: string[] = []): StubImage {
  const hex = Buffer.from(seed).toString('hex').padEnd(64, '0').slice(0, 64);
  return { ID: `sha256:${hex}`, RepoTags: tags, RepoDigests: digests };
}
