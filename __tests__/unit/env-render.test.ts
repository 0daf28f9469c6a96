/**
 * The `.env` the action writes: compose v2's rules (this action's parser, which reads `env` the
 * same way) and compose v1's own parser read back every value byte for byte, and the file the
 * action wrote, given back as `env`, means the same values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../../src/env/parse.js';
import { renderEnvFile } from '../../src/env/render.js';
import type { EnvVar } from '../../src/types/settings.js';
import { randomValues } from '../support/random-values.js';
import { COMPOSE_V1, itWith } from '../support/requires.js';
import { TRICKY_VALUES } from '../support/tricky-values.js';

const vars = (entries: [string, string][]): EnvVar[] =>
  entries.map(([key, value], i) => ({ key, value, line: i + 1 }));
const random = vars(randomValues(3000).map((value, i) => [`V${i}`, value]));
const tricky = vars(Object.entries(TRICKY_VALUES));
const asMap = (list: readonly EnvVar[]) => Object.fromEntries(list.map((v) => [v.key, v.value]));

describe('renderEnvFile', () => {
  const render = (value: string) => renderEnvFile([{ key: 'K', value, line: 1 }]);

  it('single-quotes plain values, including $, #, =, double quotes and newlines', () => {
    expect(render('a b $HOME #x = "y"')).toBe(`K='a b $HOME #x = "y"'\n`);
    expect(render('line1\nline2')).toBe(`K='line1\nline2'\n`);
  });

  it('double-quotes values with a single quote or a backslash pair, escaping them', () => {
    expect(render(`it's "x" \\\\ y\nz`)).toBe(`K="it's \\"x\\" \\\\\\\\ y\\nz"\n`);
  });

  it('spells $, \\ and " through helper variables only when a value needs it', () => {
    expect(render(`it's $5`)).toBe(
      `MONARCH_ENV_DOLLAR='$'\nMONARCH_ENV_BACKSLASH=\\\nMONARCH_ENV_QUOTE='"'\nK="it's \${MONARCH_ENV_DOLLAR}5"\n`,
    );
    expect(render('plain')).not.toContain('MONARCH_ENV_');
  });
});

describe('read back by compose v2 rules', () => {
  it('gives the tricky values back byte for byte', () => {
    expect(asMap(parseEnv(renderEnvFile(tricky)).vars)).toEqual(asMap(tricky));
  });

  it('gives 3000 random values of every kind of character back byte for byte', () => {
    expect(asMap(parseEnv(renderEnvFile(random)).vars)).toEqual(asMap(random));
  });

  it('with no warning: the file means exactly what it says', () => {
    expect(parseEnv(renderEnvFile([...tricky, ...random])).notes).toEqual([]);
  });

  it('the file written from a file it wrote is the same file (nothing changes on a round trip)', () => {
    const once = renderEnvFile(random);
    expect(renderEnvFile(parseEnv(once).vars)).toBe(once);
  });
});

describe('read back by compose v1 (its own parser, env_vars_from_file)', () => {
  const composeV1 = (text: string): Record<string, string> => {
    const dir = mkdtempSync(path.join(tmpdir(), 'monarch-env-'));
    writeFileSync(path.join(dir, '.env'), text);
    const script =
      'import json,sys\nfrom compose.config.environment import env_vars_from_file\nprint(json.dumps(env_vars_from_file(sys.argv[1])))';
    return JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script, path.join(dir, '.env')], {
        maxBuffer: 64 << 20,
      }).toString(),
    );
  };
  const withoutHelpers = (map: Record<string, string>) =>
    Object.fromEntries(Object.entries(map).filter(([key]) => !key.startsWith('MONARCH_ENV_')));

  itWith(COMPOSE_V1)('gives the tricky values back byte for byte', () => {
    expect(withoutHelpers(composeV1(renderEnvFile(tricky)))).toEqual(asMap(tricky));
  });

  itWith(COMPOSE_V1)('gives 3000 random values back byte for byte', () => {
    expect(withoutHelpers(composeV1(renderEnvFile(random)))).toEqual(asMap(random));
  });
});
