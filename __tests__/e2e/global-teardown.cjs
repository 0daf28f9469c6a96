// Tears the lab down after the end-to-end suites, leaving nothing running (LAB_KEEP=1 keeps it).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalTeardown() {
  if (process.env.LAB_KEEP === '1') return;
  execFileSync('bash', [path.join(__dirname, '../../scripts/lab/down.sh')], { stdio: 'inherit' });
};
