import { createHmac, randomBytes } from 'node:crypto';
import { parseFingerprints, parseKnownHosts } from '../../src/inputs/host-key-pins.js';
import {
  checkHostKey,
  fingerprintOf,
  patternsMatch,
  type HostKeyPolicy,
} from '../../src/remote/host-keys.js';
import { makeKey } from '../support/keys.js';

const server = makeKey('ed25519');
const other = makeKey('ed25519');
const blobOf = (publicKey: string) => Buffer.from(publicKey.split(' ')[1], 'base64');
const serverBlob = blobOf(server.publicKey);
const policy = (over: Partial<HostKeyPolicy>): HostKeyPolicy => ({
  fingerprints: [],
  knownHosts: [],
  insecureIgnore: false,
  ...over,
});
const keyPart = (publicKey: string) => publicKey.split(' ').slice(0, 2).join(' ');

describe('fingerprints', () => {
  it('computes what ssh-keygen -lf prints', () => {
    expect(fingerprintOf(serverBlob)).toBe(server.fingerprint);
  });

  it('accepts several pinned fingerprints (rotation) and refuses anything else', () => {
    expect(parseFingerprints(`${server.fingerprint}, ${other.fingerprint}\n`)).toEqual([
      { fingerprint: server.fingerprint },
      { fingerprint: other.fingerprint },
    ]);
    expect(() => parseFingerprints('MD5:aa:bb')).toThrow(/expected 'SHA256:'/);
  });

  it('passes a pinned key, and reports both fingerprints on a mismatch', () => {
    expect(
      checkHostKey(
        policy({ fingerprints: pins(other.fingerprint, server.fingerprint) }),
        'h',
        22,
        serverBlob,
      ),
    ).toEqual({ ok: true, insecure: false });
    const verdict = checkHostKey(
      policy({ fingerprints: pins(other.fingerprint) }),
      'h',
      22,
      serverBlob,
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining(
        `expected ${other.fingerprint}, the server presented ${server.fingerprint}`,
      ),
    });
  });

  it('with no policy at all, refuses and prints the presented fingerprint to pin', () => {
    const verdict = checkHostKey(policy({}), 'h', 22, serverBlob);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toContain(`The server presented ${server.fingerprint}`);
  });

  it('insecure-ignore-host-key accepts a key nothing is known about, but says so', () => {
    expect(checkHostKey(policy({ insecureIgnore: true }), 'h', 22, serverBlob)).toEqual({
      ok: true,
      insecure: true,
    });
  });

  it('insecure-ignore-host-key never accepts a key that contradicts a pin for that host', () => {
    const verdict = checkHostKey(
      policy({ insecureIgnore: true, fingerprints: pins(other.fingerprint) }),
      'h',
      22,
      serverBlob,
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining('host key mismatch for h'),
    });
    const entries = parseKnownHosts(`h ${keyPart(other.publicKey)}`);
    expect(
      checkHostKey(policy({ insecureIgnore: true, knownHosts: entries }), 'h', 22, serverBlob).ok,
    ).toBe(false);
  });

  it("host=SHA256:... pins one host: one droplet's key does not open another", () => {
    const fingerprints = parseFingerprints(`a=${server.fingerprint}\nb=${other.fingerprint}`);
    expect(fingerprints).toEqual([
      { host: 'a', fingerprint: server.fingerprint },
      { host: 'b', fingerprint: other.fingerprint },
    ]);
    expect(checkHostKey(policy({ fingerprints }), 'a', 22, serverBlob).ok).toBe(true);
    expect(checkHostKey(policy({ fingerprints }), 'b', 22, serverBlob)).toEqual({
      ok: false,
      reason: `host key mismatch for b: expected ${other.fingerprint}, the server presented ${server.fingerprint}`,
    });
    // A host with no pin of its own gets the pins for every host; with none of those, nothing.
    const mixed = parseFingerprints(`a=${other.fingerprint} ${server.fingerprint}`);
    expect(checkHostKey(policy({ fingerprints: mixed }), 'c', 22, serverBlob).ok).toBe(true);
    expect(checkHostKey(policy({ fingerprints: mixed }), 'a', 22, serverBlob).ok).toBe(false);
    expect(checkHostKey(policy({ fingerprints }), 'c', 22, serverBlob)).toEqual({
      ok: false,
      reason: expect.stringContaining("'host-fingerprint' has no pin for c"),
    });
  });
});

function pins(...fingerprints: string[]) {
  return fingerprints.map((fingerprint) => ({ fingerprint }));
}

describe('known_hosts', () => {
  it('matches plain, [host]:port, wildcard and negated patterns', () => {
    expect(patternsMatch('10.0.0.1,web', '10.0.0.1', 22)).toBe(true);
    expect(patternsMatch('[10.0.0.1]:2222', '10.0.0.1', 2222)).toBe(true);
    expect(patternsMatch('10.0.0.1', '10.0.0.1', 2222)).toBe(false);
    expect(patternsMatch('*.example.com,!bad.example.com', 'a.example.com', 22)).toBe(true);
    expect(patternsMatch('*.example.com,!bad.example.com', 'bad.example.com', 22)).toBe(false);
  });

  it('matches hashed |1| entries the way ssh-keygen -H writes them', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[10.0.0.1]:2222').digest('base64');
    const entries = parseKnownHosts(
      `|1|${salt.toString('base64')}|${hash} ${keyPart(server.publicKey)}`,
    );
    expect(checkHostKey(policy({ knownHosts: entries }), '10.0.0.1', 2222, serverBlob).ok).toBe(
      true,
    );
    expect(checkHostKey(policy({ knownHosts: entries }), '10.0.0.1', 22, serverBlob).ok).toBe(
      false,
    );
  });

  it('does not accept a line for a different host', () => {
    const entries = parseKnownHosts(`10.9.9.9 ${keyPart(server.publicKey)}`);
    const verdict = checkHostKey(policy({ knownHosts: entries }), '10.0.0.1', 22, serverBlob);
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining("'known-hosts' has no entry for 10.0.0.1"),
    });
  });

  it('refuses a key listed as @revoked even when pinned', () => {
    const entries = parseKnownHosts(`@revoked * ${keyPart(server.publicKey)}`);
    expect(
      checkHostKey(
        policy({ knownHosts: entries, fingerprints: pins(server.fingerprint) }),
        'h',
        22,
        serverBlob,
      ).ok,
    ).toBe(false);
  });

  it('refuses a malformed line, naming it', () => {
    expect(() => parseKnownHosts('# ok\nhost-only')).toThrow(/line 2/);
  });
});
