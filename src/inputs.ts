/**
 * Every input of action.yml, read, validated and masked once, into one frozen `Inputs` object.
 * Nothing here touches the network: bad input fails before any host is contacted.
 */
import * as core from '@actions/core';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { parseDocument } from 'yaml';
import { parseEnvInput, type EnvVar } from './deploy/env-file.js';
import { isNotifyOn, NOTIFY_ON_VALUES } from './notify/notify-on.js';
import type { SlackSettings } from './notify/slack.js';
import { DIGITALOCEAN_REGISTRY } from './registry/digitalocean.js';
import { parseFingerprints, parseKnownHosts, type HostKeyPolicy } from './remote/host-keys.js';
import type { SshTarget } from './remote/ssh-host.js';

/** A local file to upload, and its name relative to the app directory. */
export interface UploadFile {
  readonly localPath: string;
  readonly remoteName: string;
}

/** Registry credentials for `docker login` on the host. */
export interface RegistryLogin {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/** A bastion to reach private droplets through; its host key is verified too. */
export type JumpHost = Omit<SshTarget, 'tunnel'>;

/** The validated settings of one run. */
export interface Inputs {
  /** Droplet addresses, in the order given. */
  readonly hosts: readonly string[];
  readonly port: number;
  readonly username: string;
  /** The private key text (OpenSSH or PEM), already checked to parse with the passphrase. */
  readonly privateKey: string;
  readonly passphrase?: string;
  readonly hostKeyPolicy: HostKeyPolicy;
  /** Absolute path on the host, of letters, digits and `/._-` only. */
  readonly appDir: string;
  /** The compose file in the workspace; uploaded as `docker-compose.yml`. */
  readonly composeFile: string;
  /** Extra files uploaded beside it, keeping their path relative to the compose file. */
  readonly files: readonly UploadFile[];
  /** The service's environment, in input order. */
  readonly env: readonly EnvVar[];
  /** Path of the file cloud-init writes when the droplet is ready; null skips the wait. */
  readonly setupMarker: string | null;
  readonly setupTimeoutMs: number;
  /** Limit for each remote command (pull, up, login...). */
  readonly commandTimeoutMs: number;
  readonly registry: RegistryLogin | null;
  readonly registryLogout: boolean;
  /** How long containers may take to be running and healthy; 0 skips the check. */
  readonly healthTimeoutMs: number;
  readonly rollback: boolean;
  readonly prune: boolean;
  /** Where and when to tell Slack. */
  readonly slack: SlackSettings;
  /** GitHub environment to record a deployment for; none: no GitHub API call. */
  readonly environment?: string;
  readonly environmentUrl?: string;
  readonly githubToken: string;
  /**
   * `digitalocean-token`, exchanged on the runner for short-lived read-only credentials that
   * log the droplets in to `registry` (DigitalOcean's unless the `registry` input names another).
   */
  readonly digitalOcean: { readonly token: string; readonly registry: string } | null;
  /** How long to wait for another deploy's lock on the host. */
  readonly lockTimeoutMs: number;
  /** Check everything, change nothing. */
  readonly dryRun: boolean;
  /** `parallel`: all hosts at once (up to maxParallel); `rolling`: one by one, stop at the first failure. */
  readonly strategy: 'parallel' | 'rolling';
  /** At most this many hosts at once (Infinity: all). */
  readonly maxParallel: number;
  readonly jumpHost: JumpHost | null;
}

/** An input that is not what the action expects. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    expectation: string,
  ) {
    super(`Invalid input '${input}': ${expectation}`);
    this.name = 'InputError';
  }
}

/** Reads an input the way the runner passes it (`INPUT_<NAME>`), trimmed unless told otherwise. */
export type InputReader = (name: string, options?: { trimWhitespace?: boolean }) => string;

const SAFE_PATH = /^\/[A-Za-z0-9/._-]*$/;
const HOST = /^[A-Za-z0-9.:_-]+$/;

/**
 * The Slack settings alone, read leniently, for reporting a run whose other inputs are invalid
 * (an invalid `notify-on` falls back to `always`; an unusable webhook URL is left out).
 */
export function readSlackSettings(read: InputReader = core.getInput): SlackSettings {
  let webhookUrl: string | undefined;
  try {
    webhookUrl = parseWebhookUrl(read('slack-webhook-url')) ?? undefined;
  } catch {
    webhookUrl = undefined;
  }
  const notifyOn = read('notify-on');
  return {
    webhookUrl,
    botToken: read('slack-bot-token') || undefined,
    channel: read('slack-channel') || undefined,
    notifyOn: isNotifyOn(notifyOn) ? notifyOn : 'always',
    errorsFatal: read('slack-errors-fatal') === 'true',
  };
}

/** Builds `Inputs` from the step's inputs, masking every secret first. */
export function getInputs(read: InputReader = core.getInput, workspace = workspaceDir()): Inputs {
  const secret = (name: string, trim = true): string => {
    const value = read(name, { trimWhitespace: trim });
    maskSecret(value);
    return value;
  };
  const privateKey = normalizeKey(secret('ssh-private-key', false));
  const passphrase = secret('ssh-passphrase') || undefined;
  const proxyKey = normalizeKey(secret('proxy-private-key', false));
  const proxyPassphrase = secret('proxy-passphrase') || undefined;
  const registryPassword = secret('registry-password');
  const slackWebhookUrl = parseWebhookUrl(secret('slack-webhook-url'));
  const slackBotToken = secret('slack-bot-token');
  const githubToken = secret('github-token');
  const digitalOceanToken = secret('digitalocean-token') || undefined;
  const envText = read('env', { trimWhitespace: false });
  const env = wrap('env', () => parseEnvInput(envText));
  for (const variable of env) maskSecret(variable.value);

  const hosts = read('host')
    .split(/[,\n]/)
    .map((host) => host.trim())
    .filter(Boolean);
  const unique = new Set(hosts);
  if (unique.size !== hosts.length) {
    fail(
      'host',
      `each droplet once, got ${hosts.find((host, i) => hosts.indexOf(host) !== i)} twice`,
    );
  }
  if (hosts.length === 0)
    throw new InputError('host', 'expected one or more droplet addresses, got nothing');
  for (const host of hosts) {
    if (!HOST.test(host))
      throw new InputError('host', `expected a host name or IP address, got '${host}'`);
  }

  const composeFile = path.resolve(workspace, read('compose-file') || 'docker-compose.yml');
  checkComposeFile(composeFile);
  const registryServer = read('registry') || (digitalOceanToken ? DIGITALOCEAN_REGISTRY : '');
  if (digitalOceanToken && (registryPassword || read('registry-username'))) {
    fail(
      'registry-password',
      "nothing when 'digitalocean-token' is set: the token gets short-lived credentials",
    );
  }
  const notifyOn = read('notify-on') || 'always';
  if (!isNotifyOn(notifyOn))
    fail('notify-on', `one of ${NOTIFY_ON_VALUES.join(', ')}, got '${notifyOn}'`);
  const environmentUrl = read('environment-url');
  if (environmentUrl && !/^https?:\/\/\S+$/.test(environmentUrl)) {
    fail('environment-url', `an http(s) URL, got '${environmentUrl}'`);
  }

  const inputs: Inputs = {
    hosts,
    port: integer(read, 'port', 22, 1, 65535),
    username: username(read('username') || 'root'),
    privateKey: checkPrivateKey(privateKey, passphrase, 'ssh-'),
    passphrase,
    hostKeyPolicy: {
      fingerprints: wrap('host-fingerprint', () => parseFingerprints(read('host-fingerprint'))),
      knownHosts: wrap('known-hosts', () => parseKnownHosts(read('known-hosts'))),
      insecureIgnore: boolean(read, 'insecure-ignore-host-key', false),
    },
    appDir: safePath('app-dir', read('app-dir') || '/opt/monarch'),
    composeFile,
    files: uploadFiles(read('files'), path.dirname(composeFile), workspace),
    env,
    setupMarker: optionalPath('setup-marker', read('setup-marker')),
    setupTimeoutMs: seconds(read, 'setup-timeout', 600, false),
    commandTimeoutMs: seconds(read, 'command-timeout', 300, false),
    registry:
      registryServer && !digitalOceanToken
        ? {
            server: registryName(registryServer),
            username: required(read, 'registry-username', "when 'registry' is set"),
            password:
              registryPassword ||
              fail('registry-password', "a password or token when 'registry' is set"),
          }
        : null,
    registryLogout: boolean(read, 'registry-logout', true),
    healthTimeoutMs: seconds(read, 'health-timeout', 120, true),
    rollback: boolean(read, 'rollback', true),
    prune: boolean(read, 'prune', true),
    slack: {
      webhookUrl: slackWebhookUrl ?? undefined,
      botToken: slackBotToken || undefined,
      channel: slackBotToken
        ? read('slack-channel') ||
          fail('slack-channel', "a channel ID such as C0123456789 when 'slack-bot-token' is set")
        : read('slack-channel') || undefined,
      notifyOn,
      errorsFatal: boolean(read, 'slack-errors-fatal', false),
      secrets: [
        privateKey,
        passphrase,
        registryPassword,
        digitalOceanToken,
        githubToken,
        slackBotToken,
        proxyKey,
        proxyPassphrase,
      ]
        .concat(env.map((variable) => variable.value))
        .filter((value): value is string => Boolean(value && value.length >= 4)),
    },
    environment: read('environment') || undefined,
    environmentUrl: environmentUrl || undefined,
    githubToken,
    digitalOcean: digitalOceanToken
      ? { token: digitalOceanToken, registry: registryName(registryServer) }
      : null,
    lockTimeoutMs: seconds(read, 'lock-timeout', 300, true),
    dryRun: boolean(read, 'dry-run', false),
    strategy: oneOf(read, 'strategy', ['parallel', 'rolling'] as const, 'parallel'),
    maxParallel: read('max-parallel') === '' ? Infinity : integer(read, 'max-parallel', 0, 1, 1000),
    jumpHost: jumpHost(read, {
      privateKey: proxyKey.trim()
        ? checkPrivateKey(proxyKey, proxyPassphrase, 'proxy-')
        : privateKey,
      passphrase: proxyKey.trim() ? proxyPassphrase : passphrase,
      username: read('username') || 'root',
    }),
  };
  if (inputs.strategy === 'rolling' && read('max-parallel') !== '' && inputs.maxParallel !== 1) {
    fail(
      'max-parallel',
      `1 (or nothing) with strategy 'rolling', which deploys one host at a time`,
    );
  }
  return Object.freeze(inputs);
}

/** Masks a secret and the forms a log could show it in (one line at a time, base64). */
export function maskSecret(value: string): void {
  if (!value) return;
  core.setSecret(value);
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) core.setSecret(line.trim());
  if (value.length >= 4) core.setSecret(Buffer.from(value).toString('base64'));
}

function wrap<T>(input: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InputError(input, error instanceof Error ? error.message : String(error));
  }
}

function fail(input: string, expectation: string): never {
  throw new InputError(input, `expected ${expectation}`);
}

function required(read: InputReader, name: string, when: string): string {
  return read(name) || fail(name, `a value ${when}`);
}

function integer(
  read: InputReader,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = read(name);
  if (text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    fail(name, `a whole number from ${min} to ${max}, got '${text}'`);
  return value;
}

function seconds(read: InputReader, name: string, fallback: number, zeroAllowed: boolean): number {
  const text = read(name);
  if (text === '') return fallback * 1000;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(zeroAllowed ? value >= 0 : value > 0) || value > 86_400) {
    fail(
      name,
      `a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds (at most 86400), got '${text}'`,
    );
  }
  return Math.round(value * 1000);
}

function boolean(read: InputReader, name: string, fallback: boolean): boolean {
  const text = read(name).toLowerCase();
  if (text === '') return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return fail(name, `'true' or 'false', got '${text}'`);
}

function username(name: string, input = 'username'): string {
  if (!/^[a-z_][a-z0-9_.-]*$/i.test(name)) fail(input, `a user name, got '${name}'`);
  return name;
}

function safePath(input: string, value: string): string {
  if (!SAFE_PATH.test(value) || value.split('/').includes('..')) {
    fail(input, `an absolute path of letters, digits and '/._-' without '..', got '${value}'`);
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

function optionalPath(input: string, value: string): string | null {
  return value === '' ? null : safePath(input, value);
}

function registryName(value: string): string {
  if (!/^[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._/-]*)?$/.test(value)) {
    fail('registry', `a registry host such as 'registry.digitalocean.com', got '${value}'`);
  }
  return value;
}

function parseWebhookUrl(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('slack-webhook-url', 'an https:// URL of a Slack incoming webhook');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail('slack-webhook-url', 'an https:// URL');
  return value;
}

function normalizeKey(text: string): string {
  return text.trim() ? text.trim().replace(/\r\n/g, '\n') + '\n' : '';
}

function oneOf<T extends string>(
  read: InputReader,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const text = read(name);
  if (text === '') return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    fail(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${text}'`);
  }
  return text as T;
}

function jumpHost(
  read: InputReader,
  defaults: { privateKey: string; passphrase?: string; username: string },
): JumpHost | null {
  const host = read('proxy-host');
  if (host === '') return null;
  if (!HOST.test(host)) fail('proxy-host', `a host name or IP address, got '${host}'`);
  return {
    host,
    port: integer(read, 'proxy-port', 22, 1, 65535),
    username: username(read('proxy-username') || defaults.username, 'proxy-username'),
    privateKey: defaults.privateKey,
    passphrase: defaults.passphrase,
    hostKeyPolicy: {
      fingerprints: wrap('proxy-fingerprint', () => parseFingerprints(read('proxy-fingerprint'))),
      knownHosts: wrap('proxy-known-hosts', () =>
        parseKnownHosts(read('proxy-known-hosts') || read('known-hosts')),
      ),
      insecureIgnore: boolean(read, 'insecure-ignore-host-key', false),
    },
  };
}

/** Checks that a key parses (and decrypts): `prefix` names the inputs in errors. */
function checkPrivateKey(
  key: string,
  passphrase: string | undefined,
  prefix: 'ssh-' | 'proxy-',
): string {
  const keyInput = `${prefix}private-key`;
  const passphraseInput = `${prefix}passphrase`;
  if (key.trim() === '') fail(keyInput, 'the private key text (OpenSSH or PEM), got nothing');
  const parsed = ssh2.utils.parseKey(key, passphrase);
  if (parsed instanceof Error) {
    const reason = parsed.message;
    if (/no passphrase/i.test(reason)) {
      fail(passphraseInput, `the passphrase of the encrypted ${keyInput}, got nothing`);
    }
    if (/bad decrypt|decrypt|passphrase|integrity/i.test(reason) && passphrase) {
      fail(passphraseInput, `the passphrase of ${keyInput}, but it does not decrypt the key`);
    }
    fail(keyInput, `an OpenSSH or PEM private key (ed25519, ecdsa or RSA): ${reason}`);
  }
  const keys = Array.isArray(parsed) ? parsed : [parsed];
  if (keys.length === 0 || !keys[0].isPrivateKey())
    fail(keyInput, 'a private key, got a public key');
  return key;
}

function checkComposeFile(file: string): void {
  if (!existsSync(file) || !statSync(file).isFile())
    fail('compose-file', `a file in the workspace, but ${file} does not exist`);
  const document = parseDocument(readFileSync(file, 'utf8'));
  if (document.errors.length > 0) {
    fail('compose-file', `valid YAML in ${file}: ${document.errors[0].message.split('\n')[0]}`);
  }
  const content: unknown = document.toJS();
  if (typeof content !== 'object' || content === null || !('services' in content)) {
    fail('compose-file', `a compose file with a 'services' section, got ${file} without one`);
  }
}

function uploadFiles(text: string, composeDir: string, workspace: string): UploadFile[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((entry) => {
      const localPath = path.resolve(workspace, entry);
      const remoteName = path.relative(composeDir, localPath).split(path.sep).join('/');
      if (!existsSync(localPath) || !statSync(localPath).isFile())
        fail('files', `files in the workspace, but ${entry} does not exist`);
      if (remoteName.startsWith('..') || !/^[A-Za-z0-9._/-]+$/.test(remoteName)) {
        fail(
          'files',
          `files inside the compose file's folder named with letters, digits and '/._-', got '${entry}'`,
        );
      }
      if (
        remoteName === 'docker-compose.yml' ||
        remoteName === '.env' ||
        remoteName.startsWith('.monarch')
      ) {
        fail('files', `files other than docker-compose.yml, .env and .monarch/, got '${entry}'`);
      }
      return { localPath, remoteName };
    });
}

function workspaceDir(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}
