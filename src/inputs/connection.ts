/** The inputs that say how to reach the hosts: addresses, user, keys, host keys, jump host. */

import { registerSecret } from '../secrets.js';
import { parseFingerprints, parseKnownHosts } from './host-key-pins.js';
import type { ConnectionInputs, HostKeyPolicy, JumpHost } from '../types/settings.js';
import type { KeyParser } from './parsers.js';
import {
  boolean,
  fail,
  integer,
  safePath,
  username,
  wrap,
  InputError,
  type InputChecks,
  type InputReader,
} from './read.js';

const HOST = /^[A-Za-z0-9.:_-]+$/;

/** Reads a secret input and masks it before anything else can log it. */
export function readSecret(read: InputReader, name: string, trim = true): string {
  const value = read(name, { trimWhitespace: trim });
  registerSecret(value);
  return value;
}

/**
 * The connection inputs, secrets masked first; nothing touches the network. Each input's error
 * is kept in `checks` (a field is undefined when its input is invalid: `checks.done()` throws
 * before such a value is used).
 */
export function readConnection(
  read: InputReader,
  parseKey: KeyParser,
  checks: InputChecks,
): Partial<ConnectionInputs> {
  const check = <T>(reader: () => T): T | undefined => checks.check(reader);
  const privateKey = normalizeKey(readSecret(read, 'ssh-private-key', false));
  const passphrase = readSecret(read, 'ssh-passphrase') || undefined;
  const user = check(() => username(read('username') || 'root'));
  const hosts = check(() => readHosts(read));
  return {
    hosts,
    port: check(() => integer(read, 'port', 22, 1, 65535)),
    username: user,
    privateKey: check(() => checkPrivateKey(privateKey, passphrase, 'ssh-', parseKey)),
    passphrase,
    hostKeyPolicy: check(() => hostKeyPolicy(read, hosts)),
    appDir: check(() => safePath('app-dir', read('app-dir') || '/opt/monarch')),
    jumpHost: check(() =>
      readJumpHost(read, { privateKey, passphrase, username: user ?? 'root' }, parseKey),
    ),
  };
}

/** `host`: one or more addresses (checked without any parser: a start's first check). */
export function readHosts(read: InputReader): string[] {
  const hosts = read('host')
    .split(/[,\n]/)
    .map((host) => host.trim())
    .filter(Boolean);
  const twice = hosts.find((host, i) => hosts.indexOf(host) !== i);
  if (twice) fail('host', `each droplet once, got ${twice} twice`);
  if (hosts.length === 0)
    throw new InputError('host', 'expected one or more droplet addresses, got nothing');
  for (const host of hosts) {
    if (!HOST.test(host))
      throw new InputError('host', `expected a host name or IP address, got '${host}'`);
  }
  return hosts;
}

function readJumpHost(
  read: InputReader,
  defaults: { privateKey: string; passphrase?: string; username: string },
  parseKey: KeyParser,
): JumpHost | null {
  const proxyKey = normalizeKey(readSecret(read, 'proxy-private-key', false));
  const proxyPassphrase = readSecret(read, 'proxy-passphrase') || undefined;
  const host = read('proxy-host');
  if (host === '') return null;
  if (!HOST.test(host)) fail('proxy-host', `a host name or IP address, got '${host}'`);
  const ownKey = proxyKey.trim() !== '';
  return {
    host,
    port: integer(read, 'proxy-port', 22, 1, 65535),
    username: username(read('proxy-username') || defaults.username, 'proxy-username'),
    privateKey: ownKey
      ? checkPrivateKey(proxyKey, proxyPassphrase, 'proxy-', parseKey)
      : defaults.privateKey,
    passphrase: ownKey ? proxyPassphrase : defaults.passphrase,
    hostKeyPolicy: jumpHostKeyPolicy(read, host),
  };
}

/**
 * The jump host's own pins: with `proxy-fingerprint` or `proxy-known-hosts` set, only they count;
 * with neither, `known-hosts` may list it. `proxy-insecure-ignore-host-key` is its own flag:
 * the droplets' `insecure-ignore-host-key` never opens the bastion.
 */
function jumpHostKeyPolicy(read: InputReader, host: string): HostKeyPolicy {
  const own = read('proxy-fingerprint') !== '' || read('proxy-known-hosts') !== '';
  const fingerprints = wrap('proxy-fingerprint', () =>
    parseFingerprints(read('proxy-fingerprint')),
  );
  if (fingerprints.some((pin) => pin.host !== undefined && pin.host !== host))
    fail('proxy-fingerprint', `pins for the jump host ${host} only`);
  return {
    fingerprints,
    knownHosts: own
      ? wrap('proxy-known-hosts', () => parseKnownHosts(read('proxy-known-hosts')))
      : wrap('known-hosts', () => parseKnownHosts(read('known-hosts'))),
    insecureIgnore: boolean(read, 'proxy-insecure-ignore-host-key', false),
  };
}

/** The droplets' pins; a `host=` pin must name one of `hosts` (unchecked while `host` is invalid). */
function hostKeyPolicy(read: InputReader, hosts: readonly string[] | undefined): HostKeyPolicy {
  const fingerprints = wrap('host-fingerprint', () => parseFingerprints(read('host-fingerprint')));
  const stray = fingerprints.find(
    (pin) => pin.host !== undefined && hosts !== undefined && !hosts.includes(pin.host),
  );
  if (stray)
    fail(
      'host-fingerprint',
      `host=SHA256:... pins for hosts of 'host', got one for '${stray.host}'`,
    );
  return {
    fingerprints,
    knownHosts: wrap('known-hosts', () => parseKnownHosts(read('known-hosts'))),
    insecureIgnore: boolean(read, 'insecure-ignore-host-key', false),
  };
}

function normalizeKey(text: string): string {
  return text.trim() ? text.trim().replace(/\r\n/g, '\n') + '\n' : '';
}

/** Checks that a key parses (and decrypts): `prefix` names the inputs in errors. */
function checkPrivateKey(
  key: string,
  passphrase: string | undefined,
  prefix: 'ssh-' | 'proxy-',
  parseKey: KeyParser,
): string {
  const keyInput = `${prefix}private-key`;
  const passphraseInput = `${prefix}passphrase`;
  if (key.trim() === '') fail(keyInput, 'the private key text (OpenSSH or PEM), got nothing');
  const parsed = parseKey(key, passphrase);
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
