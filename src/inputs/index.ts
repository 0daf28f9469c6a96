/**
 * Every input of action.yml, read, validated and masked once, into one frozen `Inputs` object.
 * Nothing here touches the network: bad input fails before any host is contacted.
 */
import * as core from '@actions/core';
import { parseEnv } from '../env/parse.js';
import { registerSecret } from '../secrets.js';
import type { ConnectionInputs, Inputs, SlackSettings } from '../types/settings.js';
import { readConnection, readHosts, readSecret } from './connection.js';
import { checkEnvironment } from './environment.js';
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
  InputChecks,
  type InputReader,
} from './read.js';
import { readReleaseCommand } from './release-command.js';
import { readRollout } from './rollout.js';
import { readStack } from './stack.js';
import { readComposeFile, readUploadFiles, workspaceDir } from './workspace-files.js';

export { readHosts } from './connection.js';
export { InputError, InvalidInputs, type InputReader } from './read.js';
export { EnvironmentError } from './environment.js';

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
 * Builds `Inputs` from the step's inputs, masking every secret first. Every input is checked
 * before any error is thrown, so that all the invalid ones are reported at once (an input that
 * needs another, such as `files` the compose file, is checked once that one is valid). The
 * checks that need no parser (`env`, `host`, the API URL overrides in `environment`) come
 * first; the key and YAML parsers load after.
 */
export async function getInputs(
  read: InputReader = core.getInput,
  workspace = workspaceDir(),
  environment: NodeJS.ProcessEnv = process.env,
): Promise<Inputs> {
  maskSecretInputs(read);
  const checks = new InputChecks();
  const check = <T>(reader: () => T): T | undefined => checks.check(reader);
  check(() => checkEnvironment(environment));
  const env = check(() => readEnv(read));
  check(() => readHosts(read));
  const { parseKey, parseYaml, yaml } = await loadInputParsers();
  const connection = readConnection(read, parseKey, checks);
  const compose = check(() => readComposeFile(read, workspace, parseYaml));
  const commandTimeoutMs = check(() => seconds(read, 'command-timeout', 300, false));
  // What the stack file and the rollout plan are read from, once the inputs they need are valid.
  const source =
    connection.appDir !== undefined && compose && env
      ? { appDir: connection.appDir, ...compose, env, yaml }
      : undefined;
  const values = {
    ...connection,
    ...compose,
    files: compose && check(() => readUploadFiles(read, compose.composeFile, workspace)),
    env,
    setupMarker: check(() => optionalPath('setup-marker', read('setup-marker'))),
    setupTimeoutMs: check(() => seconds(read, 'setup-timeout', 600, false)),
    commandTimeoutMs,
    ...check(() => readRegistry(read)),
    registryLogout: check(() => boolean(read, 'registry-logout', true)),
    healthTimeoutMs: check(() => seconds(read, 'health-timeout', 120, true)),
    rollback: check(() => boolean(read, 'rollback', true)),
    prune: check(() => boolean(read, 'prune', true)),
    slack: check(() => readSlack(read)),
    ...check(() => readGitHub(read)),
    lockTimeoutMs: check(() => seconds(read, 'lock-timeout', 300, true)),
    dryRun: check(() => boolean(read, 'dry-run', false)),
    ...check(() => readStrategy(read)),
    stack: check(() => (source ? readStack(read, source) : null)),
    // After `stack`, which has checked `mode`.
    rollout: check(() => (source ? readRollout(read('mode') === 'swarm', source) : null)),
    releaseCommand: check(() =>
      compose && commandTimeoutMs !== undefined
        ? readReleaseCommand(read, { ...compose, commandTimeoutMs, yaml })
        : null,
    ),
  };
  checks.done();
  // Every check passed: each value above is set.
  return Object.freeze(values as Inputs);
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
  const checks = new InputChecks();
  checks.check(() => readHosts(read));
  const { parseKey } = await loadInputParsers();
  const connection = readConnection(read, parseKey, checks);
  checks.done();
  return Object.freeze(connection as ConnectionInputs);
}

/**
 * The Slack settings alone, read leniently, for reporting a run whose other inputs are invalid
 * (an invalid `notify-on` falls back to `always`; an unusable webhook URL is left out).
 */
export function readSlackSettings(read: InputReader = core.getInput): SlackSettings {
  return readSlackLeniently(read);
}
