/**
 * Every input of action.yml, read, validated and masked once, into one frozen `Inputs` object.
 * Nothing here touches the network: bad input fails before any host is contacted.
 */
import * as core from '@actions/core';
import { parseEnv } from '../env/parse.js';
import { registerSecret } from '../secrets.js';
import type { ConnectionInputs, Inputs, SlackSettings } from '../types/settings.js';
import { readConnection, readHosts, readSecret } from './connection.js';
import { loadInputParsers } from './parsers.js';
import { readGitHub, readRegistry, readSlack, readSlackLeniently } from './integrations.js';
import {
  boolean,
  fail,
  integer,
  oneOf,
  optionalPath,
  seconds,
  wrap,
  type InputReader,
} from './read.js';
import { readRollout } from './rollout.js';
import { readStack } from './stack.js';
import { readComposeFile, readUploadFiles, workspaceDir } from './workspace-files.js';

export { readHosts } from './connection.js';
export { InputError, type InputReader } from './read.js';

/** The inputs that hold secrets: masked before any other input is read. */
const SECRET_INPUTS = [
  'ssh-private-key',
  'ssh-passphrase',
  'proxy-private-key',
  'proxy-passphrase',
  'registry-password',
  'slack-webhook-url',
  'slack-bot-token',
  'github-token',
  'digitalocean-token',
] as const;

function maskSecretInputs(read: InputReader): void {
  for (const name of SECRET_INPUTS) readSecret(read, name, name.endsWith('private-key') === false);
}

/**
 * Builds `Inputs` from the step's inputs, masking every secret first. The checks that need no
 * parser (`env`, `host`) come first; the key and YAML parsers load after them.
 */
export async function getInputs(
  read: InputReader = core.getInput,
  workspace = workspaceDir(),
): Promise<Inputs> {
  maskSecretInputs(read);
  const env = readEnv(read);
  readHosts(read);
  const { parseKey, parseYaml, yaml } = await loadInputParsers();
  const connection = readConnection(read, parseKey);
  const compose = readComposeFile(read, workspace, parseYaml);
  const inputs: Inputs = {
    ...connection,
    ...compose,
    files: readUploadFiles(read, compose.composeFile, workspace),
    env,
    setupMarker: optionalPath('setup-marker', read('setup-marker')),
    setupTimeoutMs: seconds(read, 'setup-timeout', 600, false),
    commandTimeoutMs: seconds(read, 'command-timeout', 300, false),
    ...readRegistry(read),
    registryLogout: boolean(read, 'registry-logout', true),
    healthTimeoutMs: seconds(read, 'health-timeout', 120, true),
    rollback: boolean(read, 'rollback', true),
    prune: boolean(read, 'prune', true),
    slack: readSlack(read),
    ...readGitHub(read),
    lockTimeoutMs: seconds(read, 'lock-timeout', 300, true),
    dryRun: boolean(read, 'dry-run', false),
    ...readStrategy(read),
    stack: readStack(read, { appDir: connection.appDir, ...compose, env, yaml }),
    // After `stack`, which has checked `mode`.
    rollout: readRollout(read('mode') === 'swarm', {
      appDir: connection.appDir,
      ...compose,
      env,
      yaml,
    }),
  };
  return Object.freeze(inputs);
}

/**
 * `env`, read as compose reads a `.env` file; every value masked, then a warning for each
 * value the rules change (naming the line and the key, never the value).
 */
function readEnv(read: InputReader): Inputs['env'] {
  const text = read('env', { trimWhitespace: false });
  const { vars, notes } = wrap('env', () => parseEnv(text));
  for (const variable of vars) registerSecret(variable.value);
  for (const note of notes)
    core.warning(`Input 'env', line ${note.line} (${note.key}): ${note.text}`);
  return vars;
}

function readStrategy(read: InputReader): Pick<Inputs, 'strategy' | 'maxParallel'> {
  const strategy = oneOf(read, 'strategy', ['parallel', 'rolling'] as const, 'parallel');
  const given = read('max-parallel') !== '';
  const maxParallel = given ? integer(read, 'max-parallel', 0, 1, 1000) : Infinity;
  if (strategy === 'rolling' && given && maxParallel !== 1) {
    fail(
      'max-parallel',
      `1 (or nothing) with strategy 'rolling', which deploys one host at a time`,
    );
  }
  return { strategy, maxParallel };
}

/**
 * Only what reaching the hosts takes (addresses, user, keys, host keys, app-dir, jump host):
 * all the post step needs, so it still runs when a later step removed the compose file.
 */
export async function getConnectionInputs(
  read: InputReader = core.getInput,
): Promise<ConnectionInputs> {
  maskSecretInputs(read);
  readHosts(read);
  const { parseKey } = await loadInputParsers();
  return Object.freeze(readConnection(read, parseKey));
}

/**
 * The Slack settings alone, read leniently, for reporting a run whose other inputs are invalid
 * (an invalid `notify-on` falls back to `always`; an unusable webhook URL is left out).
 */
export function readSlackSettings(read: InputReader = core.getInput): SlackSettings {
  return readSlackLeniently(read);
}
