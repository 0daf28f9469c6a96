/** Builds input readers and workspaces for tests, the way the runner passes inputs. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { InputReader } from '../../src/inputs/index.js';

interface ActionManifest {
  inputs: Record<string, { default?: string }>;
}

/** The defaults action.yml declares: the runner applies them before the action runs. */
export const ACTION_DEFAULTS: Record<string, string> = Object.fromEntries(
  Object.entries(
    (parse(readFileSync(path.resolve('action.yml'), 'utf8')) as ActionManifest).inputs,
  ).map(([name, input]) => [name, input.default ?? '']),
);

export const COMPOSE = 'services:\n  web:\n    image: ${IMAGE}\n    env_file: .env\n';

/** A workspace folder holding a compose file (and any extra files given). */
export function makeWorkspace(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'monarch-ws-'));
  writeFileSync(path.join(dir, 'docker-compose.yml'), COMPOSE);
  for (const [name, content] of Object.entries(extra)) writeFileSync(path.join(dir, name), content);
  return dir;
}

/** A reader over action.yml's defaults and `values`; like core.getInput it trims unless told not to. */
export function reader(values: Record<string, string>): InputReader {
  return (name, options) => {
    const value = values[name] ?? ACTION_DEFAULTS[name] ?? '';
    return options?.trimWhitespace === false ? value : value.trim();
  };
}
