/**
 * The files users and GitHub read besides the code: action.yml and every workflow pass the
 * GitHub Actions schemas (with @action-validator/cli), the README's tables match action.yml, and
 * the CHANGELOG names what action.yml offers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const VALIDATOR = path.resolve('node_modules/.bin/action-validator');

function validate(file: string): { status: number | null; output: string } {
  const result = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
  // It warns that it does not check glob patterns (paths:); anything else it prints is a finding.
  const output = `${result.stdout}${result.stderr}`
    .split('\n')
    .filter((line) => line && !line.startsWith('WARNING: Glob validation is not yet supported'))
    .join('\n');
  return { status: result.status, output };
}

const workflows = [
  ...readdirSync('.github/workflows').map((name) => path.join('.github/workflows', name)),
  'examples/monarch/.github/workflows/deploy.yml',
];

describe('schemas', () => {
  it.each(workflows)('%s is a valid workflow', (file) => {
    expect(validate(file)).toEqual({ status: 0, output: '' });
  });

  it('action.yml is a valid action, and runs on node24', () => {
    const text = readFileSync('action.yml', 'utf8');
    expect(parse(text).runs).toEqual({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
    });
    // The validator's schema (0.6.0) stops at node20; everything else is checked as written.
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'monarch-action-')), 'action.yml');
    writeFileSync(copy, text.replace(/using: node24/, 'using: node20'));
    expect(validate(copy)).toEqual({ status: 0, output: '' });
  });

  it('the validator does catch a broken action (so the checks above can fail)', () => {
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'monarch-action-')), 'action.yml');
    writeFileSync(copy, 'name: x\ndescription: y\nruns:\n  using: node20\n  mian: dist/index.js\n');
    expect(validate(copy).status).not.toBe(0);
  });

  it('every input and output is described', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as Record<
      string,
      Record<string, { description?: string }>
    >;
    for (const [name, entry] of [
      ...Object.entries(action.inputs),
      ...Object.entries(action.outputs),
    ]) {
      expect({ name, described: (entry.description ?? '').length > 10 }).toEqual({
        name,
        described: true,
      });
    }
  });
});

describe('README', () => {
  it('has the inputs and outputs tables of action.yml (npm run docs writes them)', () => {
    expect(() =>
      execFileSync('node', ['scripts/readme-tables.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});

describe('CHANGELOG', () => {
  const changelog = readFileSync('CHANGELOG.md', 'utf8');
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
  };
  const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

  it("has a dated section for package.json's version, the release's notes", () => {
    const notes = execFileSync('node', ['scripts/changelog-section.mjs', version], {
      encoding: 'utf8',
    });
    expect(notes).toMatch(/^### Added$/m);
  });

  it('names every input and output of action.yml, as users find them there', () => {
    const names = [...Object.keys(action.inputs), ...Object.keys(action.outputs)];
    const unnamed = names.filter((name) => !new RegExp(`\`${name}[\`:=]`).test(changelog));
    expect(unnamed).toEqual([]);
  });

  it('lists no breaking change under a 1.x version: that would be v2', () => {
    const v1 = changelog.split(/^## /m).filter((section) => /^\[1\.\d+\.\d+\]/.test(section));
    expect(v1.length).toBeGreaterThan(0);
    expect(v1.filter((section) => /breaking/i.test(section))).toEqual([]);
  });
});
