/**
 * Host identity: SHA256 fingerprints as `ssh-keygen -lf` prints them, and known_hosts matching
 * (plain, `[host]:port`, wildcard and hashed `|1|salt|hash` entries). Checked during the SSH
 * handshake, before any credential is sent. The pins themselves are read with the inputs
 * (src/inputs/host-key-pins.ts).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HostKeyPolicy } from '../types/settings.js';

/** `SHA256:<base64 without padding>` of a raw public key blob. */
export function fingerprintOf(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

export type { FingerprintPin, HostKeyPolicy, KnownHost } from '../types/settings.js';

/** The pins that count for `host`: its own, or, when it has none, those for every host. */
export function pinsFor(policy: HostKeyPolicy, host: string): string[] {
  const own = policy.fingerprints.filter((pin) => pin.host === host);
  const pins = own.length > 0 ? own : policy.fingerprints.filter((pin) => pin.host === undefined);
  return pins.map((pin) => pin.fingerprint);
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardMatch(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, magic, salt, hash] = pattern.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** True when a known_hosts host field (comma-separated patterns, `!` negation) names the host. */
export function patternsMatch(patterns: string, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (wildcardMatch(body, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The verdict on a presented host key. */
export type HostKeyVerdict =
  | { readonly ok: true; readonly insecure: boolean }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks the key a server presented against the policy. `insecureIgnore` accepts a key only
 * when the policy knows nothing of that host: never one that contradicts its pins or entries.
 */
export function checkHostKey(
  policy: HostKeyPolicy,
  host: string,
  port: number,
  keyBlob: Buffer,
): HostKeyVerdict {
  const presented = fingerprintOf(keyBlob);
  const forHost = policy.knownHosts.filter((entry) => patternsMatch(entry.patterns, host, port));
  if (forHost.some((entry) => entry.revoked && entry.keyBlob.equals(keyBlob))) {
    return {
      ok: false,
      reason: `the host key ${presented} of ${host} is marked @revoked in known-hosts`,
    };
  }
  const pins = pinsFor(policy, host);
  if (pins.includes(presented)) return { ok: true, insecure: false };
  if (forHost.some((entry) => !entry.revoked && entry.keyBlob.equals(keyBlob))) {
    return { ok: true, insecure: false };
  }
  const expected = [
    ...pins,
    ...forHost.filter((entry) => !entry.revoked).map((entry) => fingerprintOf(entry.keyBlob)),
  ];
  if (expected.length > 0) {
    return {
      ok: false,
      reason: `host key mismatch for ${host}: expected ${expected.join(' or ')}, the server presented ${presented}`,
    };
  }
  if (policy.insecureIgnore) return { ok: true, insecure: true };
  if (policy.fingerprints.length === 0 && policy.knownHosts.length === 0) {
    return {
      ok: false,
      reason:
        `no host key to check ${host} against: set 'host-fingerprint' (or 'known-hosts'). ` +
        `The server presented ${presented}; pin it only after checking it on the droplet ` +
        `(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).`,
    };
  }
  const missing =
    policy.knownHosts.length > 0
      ? `'known-hosts' has no entry for ${knownHostsName(host, port)}`
      : `'host-fingerprint' has no pin for ${host} (only for other hosts)`;
  return { ok: false, reason: `${missing}; the server presented ${presented}` };
}

/** Key types to ask the server for, so it presents one the policy knows (OpenSSH does the same). */
export function preferredHostKeyAlgorithms(
  policy: HostKeyPolicy,
  host: string,
  port: number,
): string[] {
  const types = new Set(
    policy.knownHosts
      .filter((entry) => !entry.revoked && patternsMatch(entry.patterns, host, port))
      .map((entry) => entry.keyType),
  );
  if (types.size === 0 || pinsFor(policy, host).length > 0) return [];
  return [...types].flatMap((type) =>
    type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
  );
}
