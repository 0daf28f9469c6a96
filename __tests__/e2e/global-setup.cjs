// Before the end-to-end suites: a Node 24 binary (the runner's `node24`) for the tests that run
// the bundle on it, and the lab (real sshd, dockerd, registry, compose), brought up once.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '../..');

module.exports = async function globalSetup() {
  process.env.MONARCH_NODE24 = execFileSync('node', [path.join(ROOT, 'scripts/install-node24.mjs')])
    .toString()
    .trim();
  const labRoot = process.env.LAB_ROOT || '/tmp/monarch-lab';
  if (process.env.LAB_KEEP === '1' && existsSync(`${labRoot}/lab.json`)) return;
  // Three droplets: the swarm suite makes them one manager and two workers.
  execFileSync('bash', [path.join(ROOT, 'scripts/lab/up.sh')], {
    stdio: 'inherit',
    env: { ...process.env, DROPLETS: process.env.DROPLETS || '3' },
  });
};
