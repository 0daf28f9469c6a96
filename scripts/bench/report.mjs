// scripts/bench/report.mjs - print the benchmark's results as markdown tables, targets beside them.
//
//   node scripts/bench/report.mjs RESULTS_DIR
//
// Reads RESULTS_DIR/{cold-start,latency,hosts,fleet,meta}.json (written by bench.mjs and bench.sh),
// adds what machine this is, and prints to stdout. A missing phase file prints as "not measured".
/* global console, process */ // Node globals, for ESLint
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The targets of the issue "Fast where it counts". */
const TARGETS = {
  ratioAt50ms: 0.35, // monarch-deploy time <= 0.35 x the baseline's, at 50 ms one-way
  ratioAt0ms: 0.8, // and <= 0.8 x at no latency at all
  roundTrips: 10, // sequential round trips of a redeploy <= 10
  slopeHighMs: 50, // the latency of the ratio target and the top of the round-trip slope
  fourHostsVsOne: 2, // 4 droplets at once <= 2 x one droplet
  peakRssMiB: 200, // peak RSS of the action process < 200 MiB
  coldStartOverNodeMs: 60, // node dist/index.js at most 60 ms over a bare node start
};
const spread = (values, format) =>
  values?.length ? ` (${format(Math.min(...values))} – ${format(Math.max(...values))})` : '';
const SLOPE_LOW_MS = 0;
const KIB = 1024;
const MIB = 1024 * 1024;

function readPhase(dir, name) {
  const file = path.join(dir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const millis = (ms) => `${Math.round(ms)} ms`;
const ratio = (value) => value.toFixed(2);
const mark = (ok) => (ok ? '✅ met' : '❌ missed');
const mib = (bytes) => `${(bytes / MIB).toFixed(2)} MiB`;
const thousands = (n) => n.toLocaleString('en-US');

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** First line a command prints (stdout, else stderr: `ssh -V` uses stderr), or '?'. */
function versionOf(command, args) {
  const run = spawnSync(command, args, { encoding: 'utf8' });
  const text = `${run.stdout ?? ''}`.trim() || `${run.stderr ?? ''}`.trim();
  return text.split('\n')[0] || '?';
}

function machineSection(meta) {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? '?';
  const lines = [
    `- Date: ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- Machine: ${os.cpus().length} CPUs (nproc ${meta?.nproc ?? '?'}, ${cpu}), ` +
      `${(os.totalmem() / (KIB * MIB)).toFixed(1)} GiB memory, Linux ${os.release()}`,
    `- Node ${process.version} runs the action (the Actions runner uses its own Node 24)`,
    `- Bundle: ${meta?.dist ?? '?'}`,
    `- Lab: ${meta?.droplets ?? '?'} droplets in network namespaces (${versionOf('ssh', ['-V'])}, ` +
      `${versionOf('/usr/bin/docker', ['--version'])}, docker-compose ${versionOf('docker-compose', ['version', '--short'])}), ` +
      'registry with a password on the lab bridge',
  ];
  return lines.join('\n');
}

function latencySection(latency) {
  if (!latency) return '## 1. Redeploy through a latency proxy\n\nnot measured';
  const low = latency.latencies.find((l) => l.delayMs === SLOPE_LOW_MS);
  const high = latency.latencies.find((l) => l.delayMs === TARGETS.slopeHighMs);
  const roundTrips = (key) => (high[key] - low[key]) / (2 * TARGETS.slopeHighMs);
  const rows = latency.latencies.map((l) => {
    const r = l.actionMs / l.baselineMs;
    const limit = {
      [TARGETS.slopeHighMs]: TARGETS.ratioAt50ms,
      [SLOPE_LOW_MS]: TARGETS.ratioAt0ms,
    }[l.delayMs];
    const target = limit ? `≤ ${limit} → ${mark(r <= limit)}` : '';
    return [
      `${l.delayMs} ms`,
      seconds(l.actionMs) + spread(l.actionAllMs, seconds),
      seconds(l.baselineMs) + spread(l.baselineAllMs, seconds),
      ratio(r),
      target,
    ];
  });
  const trips = roundTrips('actionMs');
  rows.push([
    `round trips (slope ${SLOPE_LOW_MS}→${TARGETS.slopeHighMs} ms)`,
    trips.toFixed(1),
    roundTrips('baselineMs').toFixed(1),
    '',
    `≤ ${TARGETS.roundTrips} → ${mark(trips <= TARGETS.roundTrips)}`,
  ]);
  const calls = low.calls;
  if (calls) {
    const per = (c) => `${c.docker.toFixed(1)} docker, ${c.compose.toFixed(1)} compose`;
    rows.push(['calls on the droplet per deploy', per(calls.action), per(calls.baseline), '', '']);
  }
  return [
    `## 1. Redeploy of an unchanged tag to one droplet, through a latency proxy (median of ${latency.runs}, min – max)`,
    '',
    table(
      [
        'one-way latency',
        'monarch-deploy',
        'baseline: 8 × ssh/scp',
        'monarch / baseline',
        'target',
      ],
      rows,
    ),
    '',
    '- Same compose file (lab registry `monarch/app:v1`, `init: true`, `127.0.0.1:8080:8080`, `env_file: .env`) and',
    '  `.env` for both, each on its own droplet (both with docker-compose 1.29); one warm-up deploy each before timing.',
    '- monarch-deploy: `node dist/index.js` as the runner starts it (action.yml defaults, `health-timeout` 120),',
    '  `host` 127.0.0.1, `port` the proxy, `host-fingerprint` pinned; main step only.',
    '- Baseline (scripts/bench/baseline-deploy.sh): marker check, mkdir, scp, .env via stdin, docker login,',
    '  pull && up -d, image prune, and a health check that is a **single** `docker inspect` (the action waits',
    '  until every container is running and healthy, 3 polls a second apart). Not counted: the container start',
    '  each appleboy step costs on a real runner.',
    '- Round trips = (time at 50 ms − time at 0 ms) / (2 × 50 ms); the proxy also charges one round trip for each',
    '  TCP handshake.',
    "- Calls: the docker and compose processes started on the droplet per deploy (the lab's call counters, at",
    '  every latency). The lab has compose v1 (Python, about 0.5 s per call here); droplets with compose v2 (Go)',
    '  pay far less per compose call: the count lets you estimate both.',
    recreatedNote(latency.recreated),
  ].join('\n');
}

function recreatedNote(recreated) {
  if (!recreated) return '';
  const which = Object.entries(recreated)
    .filter(([, changed]) => changed)
    .map(([tool]) => tool);
  return which.length
    ? `- ⚠️ the container was RECREATED during the timed runs of: ${which.join(', ')} (not a pure redeploy)`
    : '- Checked: no timed run recreated the container (same container IDs as after the warm-up).';
}

function stepSection(latency) {
  if (!latency?.stepTimings) return '';
  const delays = Object.keys(latency.stepTimings).map(Number);
  const names = [];
  const byDelay = {};
  for (const delay of delays) {
    byDelay[delay] = {};
    for (const { name, ms } of latency.stepTimings[delay]) {
      const step = name.replace(/^\S+: /, '').replace(/:\d+ as /, ' as ');
      if (!names.includes(step)) names.push(step);
      byDelay[delay][step] = ms;
    }
  }
  const rows = names.map((name) => [
    name,
    ...delays.map((d) => (byDelay[d][name] === undefined ? '' : millis(byDelay[d][name]))),
  ]);
  return [
    '### Where one monarch-deploy redeploy spends its time (last timed run at each latency)',
    '',
    table(['step (log group)', ...delays.map((d) => `${d} ms`)], rows),
  ].join('\n');
}

function coldStartSection(cold, latency) {
  if (!cold) return '## 2. Cold start and size\n\nnot measured';
  const rows = [];
  const atZero = latency?.latencies.find((l) => l.delayMs === SLOPE_LOW_MS);
  for (const run of cold.byNode) {
    const over = run.bundleMs - run.nodeMs;
    const target = `≤ ${TARGETS.coldStartOverNodeMs} ms over node → ${mark(over <= TARGETS.coldStartOverNodeMs)}`;
    rows.push([
      `\`node dist/index.js\` on Node ${run.node}, \`host\` empty: start-up + input parsing, no network`,
      millis(run.bundleMs) + spread(run.bundleAllMs, millis),
      `${millis(over)} over node: ${target}`,
    ]);
    rows.push([
      `\`node -e 0\` on Node ${run.node} (reference)`,
      millis(run.nodeMs) + spread(run.nodeAllMs, millis),
      '',
    ]);
  }
  if (atZero?.actionToConnectMs) {
    rows.push([
      `cross-check, a real deploy (section 1 at ${SLOPE_LOW_MS} ms): spawn → its "Connecting to" step`,
      millis(atZero.actionToConnectMs),
      '',
    ]);
  }
  rows.push([
    'dist/index.js (the entry; each step loads its own chunks)',
    `${thousands(cold.bundleBytes)} B (${mib(cold.bundleBytes)})`,
    '',
  ]);
  rows.push([
    `dist/ (${cold.distFiles.join(', ')})`,
    `${thousands(cold.distBytes)} B (${mib(cold.distBytes)})`,
    '',
  ]);
  return [
    `## 2. Cold start and size (median of ${cold.runs}, min – max; the V8 compile cache warm after the first run on Node 22+)`,
    '',
    table(['what', 'measured', 'target'], rows),
  ].join('\n');
}

function hostsSection(hosts) {
  if (!hosts) return '## 3. Several droplets at once\n\nnot measured';
  const one = hosts.counts.find((c) => c.count === 1);
  const rows = hosts.counts.map((c) => {
    const vsOne = c.wallMs / one.wallMs;
    const rssMiB = (c.maxRssKb * KIB) / MIB;
    const isMax = c.count === Math.max(...hosts.counts.map((x) => x.count));
    return [
      String(c.count),
      seconds(c.wallMs),
      ratio(vsOne),
      `${rssMiB.toFixed(0)} MiB`,
      c.cpuMs === undefined ? '' : seconds(c.cpuMs),
      c.order,
      isMax
        ? `time ≤ ${TARGETS.fourHostsVsOne} × one → ${mark(vsOne <= TARGETS.fourHostsVsOne)}; ` +
          `RSS < ${TARGETS.peakRssMiB} MiB → ${mark(rssMiB < TARGETS.peakRssMiB)}`
        : '',
    ];
  });
  const orders = [...new Set(hosts.counts.filter((c) => c.count > 1).map((c) => c.order))];
  return [
    `## 3. Redeploy to several droplets at once, no proxy (median of ${hosts.runs}; peak RSS: max of ${hosts.runs})`,
    '',
    table(
      [
        'droplets',
        'wall time',
        '× one droplet',
        'peak RSS (GNU time %M)',
        'action CPU (user + sys)',
        'hosts were deployed',
        'target',
      ],
      rows,
    ),
    '',
    "- `host` = the droplets' addresses separated by commas, `known-hosts` = the lab's known_hosts, other inputs",
    '  as in section 1; `strategy` and `max-parallel` left at their defaults; the first N droplets of the lab.',
    "- The droplets share this machine's CPUs with the runner (real droplets each have their own): with more",
    '  droplets than cores, their dockerd and compose compete for CPU, so the ratio here is pessimistic; the',
    "  action's own CPU time (column above) is a small part of it.",
    `- Measured: this dist/ deployed the hosts **${orders.join(' / ')}** (read from the log: each step is a`,
    '  group naming its host; steps of different hosts that overlap = in parallel).',
  ].join('\n');
}

function fleetSection(fleet) {
  if (!fleet) return '## 4. A fleet of light droplets\n\nnot measured';
  const cores = fleet.nproc ?? 2;
  // What the droplets' side (sshd, shells, the stub) cost: the machine's CPU time but the action's.
  const droplets = (c) => {
    const side = c.machineCpuMs - c.cpuMs;
    return `${millis(side / c.count)} per droplet; ≥ ${seconds(side / cores)} of wall on ${cores} cores`;
  };
  const one = fleet.cases.find((c) => c.count === 1 && c.mode === 'parallel');
  const rows = fleet.cases.map((c) => [
    String(c.count),
    c.mode,
    seconds(c.wallMs) + spread(c.wallAllMs, seconds),
    ratio(c.wallMs / one.wallMs),
    `${((c.maxRssKb * KIB) / MIB).toFixed(0)} MiB`,
    `${millis(c.cpuMs / c.count)}`,
    droplets(c),
    `${thousands(Math.round(c.logBytes / c.count))} B`,
  ]);
  return [
    `## 4. A fleet of light droplets (median of ${fleet.runs}, min – max; peak RSS: max)`,
    '',
    table(
      [
        'droplets',
        'how',
        'wall time',
        '× one droplet',
        'peak RSS',
        'action CPU per droplet',
        "droplets' CPU (machine − action)",
        'log per droplet',
      ],
      rows,
    ),
    '',
    '- Each droplet: a network namespace with its own OpenSSH server (scripts/bench/fleet-lab.sh), real sh,',
    `  flock, timeout and tar; \`docker\` a stub answering like docker, \`compose pull\` ${fleet.delays.pullS} s and`,
    `  \`compose up\` ${fleet.delays.upS} s (scripts/bench/docker-stub.sh): what is measured is the action and SSH, not`,
    '  100 dockerd. A redeploy of an unchanged, healthy service; `known-hosts` pins every host key.',
    "- The droplets' sshd, shells and stub run on the same cores as the action: their CPU time (the whole",
    "  machine's, measured from /proc/stat, less the action's) over the cores is a floor for the wall time.",
    '  On real droplets, each with its own CPU, that side runs in parallel.',
  ].join('\n');
}

function fleetTargets(fleet) {
  if (!fleet) return [];
  const find = (count) => fleet.cases.find((c) => c.count === count && c.mode === 'parallel');
  const one = find(1);
  const top = find(Math.max(...fleet.cases.map((c) => c.count)));
  if (!one || !top) return [];
  const vsOne = top.wallMs / one.wallMs;
  const rssMiB = (top.maxRssKb * KIB) / MIB;
  return [
    [`${top.count} light droplets in parallel ≤ 2 × one`, `${ratio(vsOne)} ×`, mark(vsOne <= 2)],
    [
      `peak RSS at ${top.count} droplets < ${TARGETS.peakRssMiB} MiB`,
      `${rssMiB.toFixed(0)} MiB`,
      mark(rssMiB < TARGETS.peakRssMiB),
    ],
  ];
}

function targetsSection(cold, latency, hosts, fleet) {
  const rows = [];
  const at50 = latency?.latencies.find((l) => l.delayMs === TARGETS.slopeHighMs);
  const at0 = latency?.latencies.find((l) => l.delayMs === SLOPE_LOW_MS);
  if (at50 && at0) {
    const trips = (at50.actionMs - at0.actionMs) / (2 * TARGETS.slopeHighMs);
    rows.push([
      `round trips ≤ ${TARGETS.roundTrips}`,
      trips.toFixed(1),
      mark(trips <= TARGETS.roundTrips),
    ]);
    for (const [l, limit] of [
      [at50, TARGETS.ratioAt50ms],
      [at0, TARGETS.ratioAt0ms],
    ]) {
      const r = l.actionMs / l.baselineMs;
      rows.push([
        `at ${l.delayMs} ms: monarch-deploy ≤ ${limit} × baseline`,
        `${ratio(r)} ×`,
        mark(r <= limit),
      ]);
    }
  }
  if (hosts) {
    const one = hosts.counts.find((c) => c.count === 1);
    const top = hosts.counts[hosts.counts.length - 1];
    const vsOne = top.wallMs / one.wallMs;
    const rssMiB = (top.maxRssKb * KIB) / MIB;
    rows.push([
      `${top.count} droplets ≤ ${TARGETS.fourHostsVsOne} × one droplet`,
      `${ratio(vsOne)} ×`,
      mark(vsOne <= TARGETS.fourHostsVsOne),
    ]);
    rows.push([
      `peak RSS for ${top.count} droplets < ${TARGETS.peakRssMiB} MiB`,
      `${rssMiB.toFixed(0)} MiB`,
      mark(rssMiB < TARGETS.peakRssMiB),
    ]);
  }
  for (const { node, bundleMs, nodeMs } of cold?.byNode ?? []) {
    const over = bundleMs - nodeMs;
    rows.push([
      `start ≤ ${TARGETS.coldStartOverNodeMs} ms over a bare node start (Node ${node})`,
      `${millis(over)} over`,
      mark(over <= TARGETS.coldStartOverNodeMs),
    ]);
  }
  rows.push(...fleetTargets(fleet));
  return ['## Targets', '', table(['target', 'measured', ''], rows)].join('\n');
}

function swarmSection(swarm, latency) {
  if (!swarm) return '## 5. A stack update (mode: swarm)\n\nnot measured';
  const compose = latency?.latencies?.find((l) => l.delayMs === 0);
  return [
    `## 5. A stack update, mode: swarm, no proxy (median of ${swarm.runs}, min – max)`,
    '',
    table(
      ['update', 'wall time'],
      [
        ['nothing changed', seconds(swarm.unchangedMs) + spread(swarm.unchangedAllMs, seconds)],
        [
          'a new image (rolling update of 3 tasks)',
          seconds(swarm.newImageMs) + spread(swarm.newImageAllMs, seconds),
        ],
        ...(compose
          ? [
              [
                'beside it: compose mode, an unchanged redeploy (section 1, 0 ms)',
                seconds(compose.actionMs) + spread(compose.actionAllMs, seconds),
              ],
            ]
          : []),
      ],
    ),
    '',
    `- The lab's ${swarm.nodes} droplets made a Swarm by scripts/lab/swarm.sh (droplet 1 the manager, the others`,
    '  workers); a stack of web (2 replicas on the workers, port 8080 in host mode, stop-first as the action',
    '  sets it) and worker (1 replica, start-first), `stop_grace_period: 1s` (the test image ignores TERM).',
    "- A new image is a rolling update, one task at a time, each watched for Swarm's default 5 s `monitor`",
    '  before the next: most of its time is that wait, which a service can shorten in its `update_config`.',
  ].join('\n');
}

function zeroDowntimeSection(zd) {
  if (!zd) return '## 6. A redeploy behind a proxy\n\nnot measured';
  const row = (name, r) => [name, `${r.failed} of ${r.requests}`, `${r.longestGapMs} ms`];
  return [
    `## 6. A redeploy behind a proxy (Caddy, ${zd.rate} requests a second through it, an app that needs 2 s to listen)`,
    '',
    table(
      ['rolled', 'failed requests', 'longest gap'],
      [row('recreate (today: up -d)', zd.recreate), row('start-first', zd.startFirst)],
    ),
  ].join('\n');
}

function main([dir]) {
  if (!dir) {
    console.error('usage: report.mjs RESULTS_DIR');
    process.exit(2);
  }
  const meta = readPhase(dir, 'meta');
  const cold = readPhase(dir, 'cold-start');
  const latency = readPhase(dir, 'latency');
  const hosts = readPhase(dir, 'hosts');
  const fleet = readPhase(dir, 'fleet');
  const swarm = readPhase(dir, 'swarm');
  const zd = readPhase(dir, 'zero-downtime');
  const sections = [
    '# monarch-deploy benchmark',
    machineSection(meta),
    targetsSection(cold, latency, hosts, fleet),
    latencySection(latency),
    stepSection(latency),
    coldStartSection(cold, latency),
    hostsSection(hosts),
    fleetSection(fleet),
    swarmSection(swarm, latency),
    zeroDowntimeSection(zd),
  ];
  if (meta?.elapsedS)
    sections.push(`Total run time of bench.sh: ${meta.elapsedS} s (lab up and down included).`);
  console.log(sections.filter(Boolean).join('\n\n'));
}

main(process.argv.slice(2));
