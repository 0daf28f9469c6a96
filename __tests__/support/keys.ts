/** Real SSH key pairs made with ssh-keygen, once per test file. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A generated key pair. */
export interface KeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
  /** `SHA256:...` as ssh-keygen -lf prints it. */
  readonly fingerprint: string;
}

const dir = mkdtempSync(path.join(tmpdir(), 'monarch-keys-'));

/** Generates a key of `type` (ed25519, ecdsa, rsa), optionally encrypted, optionally PEM. */
export function makeKey(
  type: 'ed25519' | 'ecdsa' | 'rsa',
  options: { passphrase?: string; pem?: boolean } = {},
): KeyPair {
  const file = path.join(dir, `${type}-${Math.random().toString(36).slice(2)}`);
  const args = ['-q', '-t', type, '-N', options.passphrase ?? '', '-C', 'test', '-f', file];
  if (type === 'rsa') args.push('-b', '2048');
  if (options.pem) args.push('-m', 'PEM');
  execFileSync('ssh-keygen', args);
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${file}.pub`])
    .toString()
    .split(' ')[1];
  return {
    privateKey: readFileSync(file, 'utf8'),
    publicKey: readFileSync(`${file}.pub`, 'utf8'),
    fingerprint,
  };
}
