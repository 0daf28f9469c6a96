// Brings the lab up once before the end-to-end suites (real sshd, dockerd, registry, compose).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  if (
    process.env.LAB_KEEP === '1' &&
    require('node:fs').existsSync(`${process.env.LAB_ROOT || '/tmp/monarch-lab'}/lab.json`)
  )
    return;
  execFileSync('bash', [path.join(__dirname, '../../scripts/lab/up.sh')], { stdio: 'inherit' });
};
