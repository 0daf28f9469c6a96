/**
 * Reading host-key pins: `host-fingerprint` (SHA256 fingerprints as `ssh-keygen -lf` prints
 * them) and `known-hosts` (OpenSSH known_hosts text). Pure parsing, as input validation needs
 * it; the handshake's check of a presented key is src/remote/host-keys.ts.
 */
import type { FingerprintPin, KnownHost } from '../types/settings.js';

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * Parses `host-fingerprint`: `SHA256:...` pins, separated by commas, spaces or newlines, each
 * for every host, or `host=SHA256:...` for that host alone.
 */
export function parseFingerprints(text: string): FingerprintPin[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item) => {
      const eq = item.lastIndexOf('=', item.indexOf('SHA256:'));
      const host = eq > 0 ? item.slice(0, eq) : undefined;
      const fingerprint = (eq > 0 ? item.slice(eq + 1) : item).replace(/=+$/, '');
      if (
        !FINGERPRINT.test(fingerprint) ||
        (host !== undefined && !/^[A-Za-z0-9.:_-]+$/.test(host))
      ) {
        throw new Error(
          `expected 'SHA256:' and 43 base64 characters as 'ssh-keygen -lf' prints, or host=SHA256:..., got '${item}'`,
        );
      }
      return host === undefined ? { fingerprint } : { host, fingerprint };
    });
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
