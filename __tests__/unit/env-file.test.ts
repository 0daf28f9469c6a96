import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnvInput } from '../../src/env/parse.js';
import { renderEnvFile } from '../../src/env/render.js';
import { TRICKY_VALUES } from '../support/tricky-values.js';

describe('parseEnvInput', () => {
  it('takes the value after the first = verbatim, skipping blank and # lines', () => {
    const vars = parseEnvInput(
      '# comment\n\nA=1\nB= spaced = "quoted" #not-a-comment \n  # indented comment\nC=\n',
    );
    expect(vars).toEqual([
      { key: 'A', value: '1', line: 3 },
      { key: 'B', value: ' spaced = "quoted" #not-a-comment ', line: 4 },
      { key: 'C', value: '', line: 6 },
    ]);
  });

  it('reads KEY<<DELIM blocks as multi-line values', () => {
    const vars = parseEnvInput('CERT<<EOF\n-----BEGIN-----\nabc\n-----END-----\nEOF\nNEXT=x');
    expect(vars).toEqual([
      { key: 'CERT', value: '-----BEGIN-----\nabc\n-----END-----', line: 1 },
      { key: 'NEXT', value: 'x', line: 6 },
    ]);
  });

  it('drops the \\r of CRLF line ends', () => {
    expect(parseEnvInput('A=1\r\nB=2\r\n').map((v) => v.value)).toEqual(['1', '2']);
  });

  it.each([
    ['JUST_A_WORD', /line 1: expected KEY=value/],
    ['1ABC=x', /line 1: '1ABC' is not a valid variable name/],
    ['MY-VAR=x', /'MY-VAR' is not a valid variable name/],
    ['A=1\nB=2\nA=3', /line 3: A is already set on line 1/],
    ['K<<EOF\nnever closed', /line 1: 'K<<EOF' has no closing line 'EOF'/],
  ])('refuses %j', (text, message) => {
    expect(() => parseEnvInput(text)).toThrow(message);
  });
});

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

  it('reserves the helper names', () => {
    expect(() => parseEnvInput('MONARCH_ENV_DOLLAR=x')).toThrow(/reserved/);
  });
});

describe('.env as docker-compose v1 reads it', () => {
  it("gives back every value byte for byte (compose's own parser, env_vars_from_file)", () => {
    const vars = Object.entries(TRICKY_VALUES).map(([key, value], i) => ({
      key,
      value,
      line: i + 1,
    }));
    const dir = mkdtempSync(path.join(tmpdir(), 'monarch-env-'));
    writeFileSync(path.join(dir, '.env'), renderEnvFile(vars));
    const script =
      'import json,sys\nfrom compose.config.environment import env_vars_from_file\nprint(json.dumps(env_vars_from_file(sys.argv[1])))';
    const parsed = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', script, path.join(dir, '.env')]).toString(),
    );
    for (const [key, value] of Object.entries(TRICKY_VALUES))
      expect({ key, value: parsed[key] }).toEqual({ key, value });
  });
});
