/**
 * The two parsers input validation borrows from its dependencies: ssh2's key parser (does the
 * private key parse and decrypt?) and yaml (is the compose file YAML with `services`?). They
 * are most of what a start would load, so they are loaded only once the checks that need no
 * parser have passed: bad input that is cheap to find is reported at once.
 */
import type { parseDocument } from 'yaml';
import type { ParsedKey } from 'ssh2';

/** Parses a private key (decrypting it with `passphrase`): ssh2's `utils.parseKey`. */
export type KeyParser = (key: string, passphrase?: string) => ParsedKey | ParsedKey[] | Error;

/** Parses YAML into a document: yaml's `parseDocument`. */
export type YamlParser = typeof parseDocument;

export interface InputParsers {
  readonly parseKey: KeyParser;
  readonly parseYaml: YamlParser;
  /** The whole yaml module (`mode: swarm` renders the stack file with it). */
  readonly yaml: typeof import('yaml');
}

/** Loads both parsers. */
export async function loadInputParsers(): Promise<InputParsers> {
  const [ssh2, yaml] = await Promise.all([import('ssh2'), import('yaml')]);
  return { parseKey: ssh2.default.utils.parseKey, parseYaml: yaml.parseDocument, yaml };
}
