// A stand-in for flock(1) in script tests: `flock -n FD` answers the state's `flock.free`,
// `flock -w SECONDS FD` its `flock.freeAfterWait` (exit 0: locked, 1: not), at once.
/* global process */ // Node globals, for ESLint
import { appendFileSync, readFileSync } from 'node:fs';

const args = process.argv.slice(2);
appendFileSync(
  process.env.STUB_CALLS,
  JSON.stringify({ argv: ['flock', ...args], cwd: process.cwd(), dockerConfig: null }) + '\n',
);
const { flock } = JSON.parse(readFileSync(process.env.STUB_STATE, 'utf8'));
process.exitCode = (args[0] === '-n' ? flock.free : flock.freeAfterWait) ? 0 : 1;
