/**
 * Host identity: SHA256 fingerprints as `ssh-keygen -lf` prints them, and known_hosts matching
 * (plain, `[host]:port`, wildcard and hashed `|1|salt|hash` entries). Checked during the SSH
 * handshake, before any credential is sent.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HostKeyPolicy, KnownHost } from '../types/settings.js';

/** `SHA256:<base64 without padding>` of a raw public key blob. */
export function fingerprintOf(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

export type { HostKeyPolicy, KnownHost } from '../types/settings.js';

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** Parses `host-fingerprint`: one or more `SHA256:...`, separated by commas, spaces or newlines. */
export function parseFingerprints(text: string): string[] {
  const items = text.split(/[\s,]+/).filter(Boolean);
  for (const item of items) {
    if (!FINGERPRINT.test(item.replace(/=+$/, ''))) {
      throw new Error(
        `expected 'SHA256:' and 43 base64 characters as 'ssh-keygen -lf' prints, got '${item}'`,
      );
    }
  }
  return items.map((item) => item.replace(/=+$/, ''));
}

/** Parses known_hosts text; comment and blank lines are skipped, @cert-authority lines refused. */
export function parseKnownHosts(text: string): KnownHost[] {
  const entries: KnownHost[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0].startsWith('@')) {
      const marker = fields.shift();
      if (marker === '@revoked') revoked = true;
      else throw new Error(`line ${index + 1}: '${marker}' entries are not supported`);
    }
    const [patterns, keyType, keyBase64] = fields;
    const keyBlob = keyBase64 ? Buffer.from(keyBase64, 'base64') : Buffer.alloc(0);
    if (!patterns || !keyType || keyBlob.length < 16) {
      throw new Error(`line ${index + 1}: expected 'host key-type base64-key'`);
    }
    entries.push({ patterns, keyType, keyBlob, revoked, line: index + 1 });
  });
  return entries;
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

/** Checks the key a server presented against the policy. */
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
  if (policy.fingerprints.includes(presented)) return { ok: true, insecure: false };
  if (forHost.some((entry) => !entry.revoked && entry.keyBlob.equals(keyBlob))) {
    return { ok: true, insecure: false };
  }
  if (policy.insecureIgnore) return { ok: true, insecure: true };

  const expected = [
    ...policy.fingerprints,
    ...forHost.filter((entry) => !entry.revoked).map((entry) => fingerprintOf(entry.keyBlob)),
  ];
  if (expected.length === 0 && policy.knownHosts.length === 0) {
    return {
      ok: false,
      reason:
        `no host key to check ${host} against: set 'host-fingerprint' (or 'known-hosts'). ` +
        `The server presented ${presented}; pin it only after checking it on the droplet ` +
        `(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).`,
    };
  }
  if (expected.length === 0) {
    return {
      ok: false,
      reason: `'known-hosts' has no entry for ${knownHostsName(host, port)}; the server presented ${presented}`,
    };
  }
  return {
    ok: false,
    reason: `host key mismatch for ${host}: expected ${expected.join(' or ')}, the server presented ${presented}`,
  };
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
  if (types.size === 0 || policy.fingerprints.length > 0) return [];
  return [...types].flatMap((type) =>
    type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
  );
}
