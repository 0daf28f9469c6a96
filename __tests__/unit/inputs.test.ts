import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getInputs, InputError, InvalidInputs } from '../../src/inputs/index.js';
import { forgetSecrets } from '../../src/secrets.js';
import { makeKey } from '../support/keys.js';
import { makeWorkspace, reader } from '../support/inputs.js';

const key = makeKey('ed25519');
const encrypted = makeKey('ed25519', { passphrase: 'right horse' });
const base = {
  host: '10.0.0.1',
  'ssh-private-key': key.privateKey,
  'host-fingerprint': key.fingerprint,
};
let workspace: string;
let stdout: string;

beforeEach(() => {
  forgetSecrets();
  workspace = makeWorkspace({ 'nginx.conf': 'events {}' });
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

const parse = (values: Record<string, string>) =>
  getInputs(reader({ ...base, ...values }), workspace);

describe('getInputs', () => {
  it('applies the documented defaults', async () => {
    const inputs = await parse({});
    expect(inputs).toMatchObject({
      hosts: ['10.0.0.1'],
      port: 22,
      username: 'root',
      appDir: '/opt/monarch',
      composeFile: path.join(workspace, 'docker-compose.yml'),
      setupMarker: '/opt/setup_complete',
      setupTimeoutMs: 600_000,
      commandTimeoutMs: 300_000,
      healthTimeoutMs: 120_000,
      registry: null,
      registryLogout: true,
      rollback: true,
      prune: true,
      lockTimeoutMs: 300_000,
      dryRun: false,
      strategy: 'parallel',
      maxParallel: Infinity,
      jumpHost: null,
      environment: undefined,
      digitalOcean: null,
    });
    expect(inputs.slack).toMatchObject({
      notifyOn: 'always',
      errorsFatal: false,
      webhookUrl: undefined,
      botToken: undefined,
    });
    expect(Object.isFrozen(inputs)).toBe(true);
  });

  it('splits hosts on commas and newlines', async () => {
    expect((await parse({ host: '10.0.0.1, 10.0.0.2\n10.0.0.3\n' })).hosts).toEqual([
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
    ]);
  });

  it('accepts ed25519, ecdsa and RSA keys, OpenSSH or PEM, and an encrypted key with its passphrase', async () => {
    for (const k of [
      makeKey('ecdsa'),
      makeKey('rsa'),
      makeKey('rsa', { pem: true }),
      makeKey('ecdsa', { pem: true }),
    ]) {
      expect((await parse({ 'ssh-private-key': k.privateKey })).privateKey).toContain(
        'PRIVATE KEY',
      );
    }
    expect(
      (await parse({ 'ssh-private-key': encrypted.privateKey, 'ssh-passphrase': 'right horse' }))
        .passphrase,
    ).toBe('right horse');
  });

  it('reports every invalid input at once, each naming its input', async () => {
    const error = await parse({
      host: 'a b',
      port: '70000',
      'health-timeout': 'soon',
      'notify-on': 'sometimes',
      'compose-file': 'missing.yml',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputs);
    const inputs = (error as InvalidInputs).errors.map((e) => e.input);
    expect(inputs).toEqual(['host', 'port', 'compose-file', 'health-timeout', 'notify-on']);
    for (const line of (error as Error).message.split('\n'))
      expect(line).toMatch(/^Invalid input '[a-z-]+': expected /);
  });

  it('one invalid input is one InputError, as before', async () => {
    const error = await parse({ port: '0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      "Invalid input 'port': expected a whole number from 1 to 65535, got '0'",
    );
  });

  it('registers each secret once', async () => {
    await parse({
      'registry-password': 'hunter22',
      registry: 'r.example',
      'registry-username': 'u',
      env: 'A=value-one\nB=value-one',
    });
    const masks = stdout.split('\n').filter((line) => line.startsWith('::add-mask::'));
    expect(masks.filter((line) => line === '::add-mask::hunter22')).toHaveLength(1);
    expect(masks.filter((line) => line === '::add-mask::value-one')).toHaveLength(1);
    expect(new Set(masks).size).toBe(masks.length);
  });

  it('masks every secret and every env value before anything else', async () => {
    parse({
      'registry-password': 'hunter22',
      registry: 'r.example',
      'registry-username': 'u',
      env: 'A=value-one\nB<<E\nline-a\nline-b\nE',
    });
    for (const secret of [
      'hunter22',
      'value-one',
      'line-a\nline-b'.split('\n')[0],
      Buffer.from('hunter22').toString('base64'),
    ]) {
      expect(stdout).toContain(`::add-mask::${secret}`);
    }
    expect(stdout).toContain('::add-mask::-----BEGIN OPENSSH PRIVATE KEY-----');
  });

  it('reads the jump host, falling back to the droplet key and user', async () => {
    const jump = (
      await parse({
        'proxy-host': 'bastion.example.com',
        'proxy-fingerprint': key.fingerprint,
        username: 'deploy',
      })
    ).jumpHost;
    expect(jump).toMatchObject({
      host: 'bastion.example.com',
      port: 22,
      username: 'deploy',
      privateKey: key.privateKey,
    });
    expect(jump?.hostKeyPolicy.fingerprints).toEqual([{ fingerprint: key.fingerprint }]);
  });

  it("the jump host's own pins are authoritative, and it has its own insecure flag", async () => {
    const known = `bastion.example.com ${key.publicKey.split(' ').slice(0, 2).join(' ')}`;
    const pinned = (
      await parse({
        'proxy-host': 'bastion.example.com',
        'proxy-fingerprint': key.fingerprint,
        'known-hosts': known,
        'insecure-ignore-host-key': 'true',
      })
    ).jumpHost!.hostKeyPolicy;
    expect(pinned).toEqual({
      fingerprints: [{ fingerprint: key.fingerprint }],
      knownHosts: [],
      insecureIgnore: false,
    });
    const fallback = (await parse({ 'proxy-host': 'bastion.example.com', 'known-hosts': known }))
      .jumpHost!.hostKeyPolicy;
    expect(fallback.knownHosts).toHaveLength(1);
    expect(
      (await parse({ 'proxy-host': 'b', 'proxy-insecure-ignore-host-key': 'true' })).jumpHost!
        .hostKeyPolicy.insecureIgnore,
    ).toBe(true);
  });

  it('pins each host of a fleet separately, and refuses a pin for a host it does not deploy to', async () => {
    const inputs = await parse({
      host: 'a, b',
      'host-fingerprint': `a=${key.fingerprint}\nb=${key.fingerprint}`,
    });
    expect(inputs.hostKeyPolicy.fingerprints.map((pin) => pin.host)).toEqual(['a', 'b']);
    await expect(parse({ host: 'a', 'host-fingerprint': `c=${key.fingerprint}` })).rejects.toThrow(
      "Invalid input 'host-fingerprint': expected host=SHA256:... pins for hosts of 'host', got one for 'c'",
    );
  });

  it('with a DigitalOcean token, logs in with what the token gets, not with a password', async () => {
    const inputs = await parse({ 'digitalocean-token': 'dop_v1_secret' });
    expect(inputs.registry).toBeNull();
    expect(inputs.digitalOcean).toEqual({
      token: 'dop_v1_secret',
      registry: 'registry.digitalocean.com',
    });
    expect(stdout).toContain('::add-mask::dop_v1_secret');
  });

  it('maps files to their path relative to the compose file', async () => {
    mkdirSync(path.join(workspace, 'conf'));
    writeFileSync(path.join(workspace, 'conf', 'app.ini'), 'x');
    expect(
      (await parse({ files: 'nginx.conf\nconf/app.ini' })).files.map((f) => f.remoteName),
    ).toEqual(['nginx.conf', 'conf/app.ini']);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'port not a number',
      { port: 'abc' },
      /^Invalid input 'port': expected a whole number from 1 to 65535, got 'abc'$/,
    ],
    ['port out of range', { port: '70000' }, /Invalid input 'port'/],
    [
      'empty host',
      { host: ' , ' },
      /^Invalid input 'host': expected one or more droplet addresses/,
    ],
    ['host with shell characters', { host: 'a;b' }, /Invalid input 'host'/],
    [
      'garbage key',
      { 'ssh-private-key': 'not a key' },
      /^Invalid input 'ssh-private-key': expected an OpenSSH or PEM private key/,
    ],
    [
      'truncated key',
      { 'ssh-private-key': key.privateKey.slice(0, 120) },
      /Invalid input 'ssh-private-key'/,
    ],
    ['empty key', { 'ssh-private-key': '' }, /Invalid input 'ssh-private-key'/],
    ['public key', { 'ssh-private-key': key.publicKey }, /Invalid input 'ssh-private-key'/],
    [
      'encrypted key without passphrase',
      { 'ssh-private-key': encrypted.privateKey },
      /^Invalid input 'ssh-passphrase': expected the passphrase/,
    ],
    [
      'wrong passphrase',
      { 'ssh-private-key': encrypted.privateKey, 'ssh-passphrase': 'wrong' },
      /^Invalid input 'ssh-passphrase': expected the passphrase of ssh-private-key, but it does not decrypt/,
    ],
    [
      'env line without =',
      { env: 'A=1\nBROKEN' },
      /^Invalid input 'env': line 2: BROKEN has no '=': write NAME= for an empty value/,
    ],
    [
      'invalid variable name',
      { env: 'MY-VAR=1' },
      /^Invalid input 'env': line 1: expected a variable name \(letters, digits and _, not starting with a digit\)/,
    ],
    [
      'duplicate keys',
      { env: 'A=1\n\nA=2' },
      /Invalid input 'env': line 3: A is already set on line 1/,
    ],
    [
      'relative app-dir',
      { 'app-dir': 'opt/monarch' },
      /^Invalid input 'app-dir': expected an absolute path/,
    ],
    ['app-dir injection', { 'app-dir': '/opt/x; touch /tmp/pwned' }, /Invalid input 'app-dir'/],
    ['app-dir substitution', { 'app-dir': '/opt/$(id)' }, /Invalid input 'app-dir'/],
    ['app-dir traversal', { 'app-dir': '/opt/../etc' }, /Invalid input 'app-dir'/],
    [
      'missing compose file',
      { 'compose-file': 'nope.yml' },
      /^Invalid input 'compose-file': expected a file in the workspace/,
    ],
    [
      'setup-timeout not positive',
      { 'setup-timeout': '0' },
      /^Invalid input 'setup-timeout': expected a positive number of seconds/,
    ],
    ['setup-timeout not a number', { 'setup-timeout': 'soon' }, /Invalid input 'setup-timeout'/],
    [
      'boolean typo',
      { prune: 'yes' },
      /^Invalid input 'prune': expected 'true' or 'false', got 'yes'$/,
    ],
    ['bad fingerprint', { 'host-fingerprint': 'abc' }, /^Invalid input 'host-fingerprint'/],
    [
      'registry without user',
      { registry: 'r.example', 'registry-password': 'p' },
      /Invalid input 'registry-username'/,
    ],
    [
      'registry without password',
      { registry: 'r.example', 'registry-username': 'u' },
      /Invalid input 'registry-password'/,
    ],
    ['webhook not a URL', { 'slack-webhook-url': 'hooks' }, /Invalid input 'slack-webhook-url'/],
    ['file outside the compose folder', { files: '/etc/passwd' }, /Invalid input 'files'/],
    [
      'unknown strategy',
      { strategy: 'yolo' },
      /^Invalid input 'strategy': expected one of 'parallel', 'rolling', got 'yolo'$/,
    ],
    ['max-parallel zero', { 'max-parallel': '0' }, /Invalid input 'max-parallel'/],
    [
      'rolling with max-parallel',
      { strategy: 'rolling', 'max-parallel': '3' },
      /Invalid input 'max-parallel'/,
    ],
    [
      'bot token without channel',
      { 'slack-bot-token': 'xoxb-1-2-3' },
      /^Invalid input 'slack-channel': expected a channel ID/,
    ],
    [
      'unknown notify-on',
      { 'notify-on': 'sometimes' },
      /^Invalid input 'notify-on': expected one of always, failure, success, never/,
    ],
    ['environment-url not a URL', { 'environment-url': 'prod' }, /Invalid input 'environment-url'/],
    [
      'DO token with a password',
      { 'digitalocean-token': 'dop_v1_x', 'registry-password': 'p' },
      /Invalid input 'registry-password'/,
    ],
    [
      'proxy key garbage',
      { 'proxy-host': 'bastion', 'proxy-private-key': 'nope' },
      /^Invalid input 'proxy-private-key'/,
    ],
    ['proxy host with shell characters', { 'proxy-host': 'a b' }, /Invalid input 'proxy-host'/],
    ['negative lock-timeout', { 'lock-timeout': '-1' }, /Invalid input 'lock-timeout'/],
  ])('refuses %s with a message naming the input', async (_case, values, message) => {
    await expect(parse(values)).rejects.toThrow(message);
  });

  it('refuses a compose file that is not valid YAML, or has no services', async () => {
    writeFileSync(path.join(workspace, 'bad.yml'), 'services:\n  web:\n   image: [unclosed\n');
    await expect(parse({ 'compose-file': 'bad.yml' })).rejects.toThrow(
      /^Invalid input 'compose-file': expected valid YAML/,
    );
    writeFileSync(path.join(workspace, 'empty.yml'), 'version: "3"\n');
    await expect(parse({ 'compose-file': 'empty.yml' })).rejects.toThrow(
      /with a 'services' section/,
    );
  });
});
