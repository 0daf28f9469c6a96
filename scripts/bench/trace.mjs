// scripts/bench/trace.mjs - one redeploy through the latency proxy, its log lines timed:
//   node scripts/bench/trace.mjs [ONE_WAY_MS] [DROPLET]   (after scripts/lab/up.sh, as root)
// Prints each log line with the time it came (ms) and in round trips, with the runner's debug
// messages on: where a deploy waits for the network.
/* global console, process */ // Node globals, for ESLint
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDefaults, makeJobFolder, runActionMain } from './action-runner.mjs';
import { startLatencyProxy } from './latency-proxy.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const delayMs = Number(process.argv[2] ?? 100);
const index = Number(process.argv[3] ?? 2);
const lab = JSON.parse(
  readFileSync(`${process.env.LAB_ROOT ?? '/tmp/monarch-lab'}/lab.json`, 'utf8'),
);
const d = lab.droplets.find((x) => x.index === index);
const compose = `services:\n  web:\n    image: ${lab.image}:v1\n    init: true\n    env_file: .env\n`;
const folder = makeJobFolder({ 'docker-compose.yml': compose });
const proxy = await startLatencyProxy({ target: d.host, targetPort: 22, delayMs });
try {
  const run = await runActionMain({
    bundle: path.join(process.env.BENCH_DIST ?? path.join(REPO, 'dist'), 'index.js'),
    folder,
    defaults: actionDefaults(path.join(REPO, 'action.yml')),
    inputs: {
      host: '127.0.0.1',
      port: String(proxy.port),
      'host-fingerprint': d.fingerprint,
      username: lab.sshUser,
      'ssh-private-key': readFileSync(lab.sshKey, 'utf8'),
      env: 'A=1\n',
      registry: lab.registry,
      'registry-username': lab.registryUser,
      'registry-password': lab.registryPassword,
    },
    extraEnv: { RUNNER_DEBUG: '1' },
  });
  for (const line of run.lines) {
    const rt = delayMs ? (line.atMs / (2 * delayMs)).toFixed(1) : '-';
    console.log(
      `${Math.round(line.atMs).toString().padStart(6)} ms ${rt.padStart(5)} RT  ${line.text.slice(0, 150)}`,
    );
  }
  console.log(`exit ${run.exitCode}, ${Math.round(run.wallMs)} ms`);
} finally {
  await proxy.close();
  folder.remove();
}
