/**
 * `scripts/release` on a fresh clone (no tags): the current version, untagged, is released as
 * it is. The tag is annotated with the version's CHANGELOG section, word for word; the major
 * tag points at the same commit; and dist/ rebuilds byte for byte, so no release commit is
 * needed and the work tree stays clean.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve('.');
const IDENTITY = {
  GIT_AUTHOR_NAME: 'release test',
  GIT_AUTHOR_EMAIL: 'release@example.com',
  GIT_COMMITTER_NAME: 'release test',
  GIT_COMMITTER_EMAIL: 'release@example.com',
};

describe('scripts/release on a fresh clone', () => {
  let clone: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: clone,
      encoding: 'utf8',
      env: { ...process.env, ...IDENTITY },
    });

  beforeAll(() => {
    clone = path.join(mkdtempSync(path.join(tmpdir(), 'monarch-release-')), 'repo');
    // As a user's clone has it; the script installs the dependencies itself (`npm ci`, from npm's cache once installed).
    execFileSync('git', ['clone', '--quiet', '--no-tags', ROOT, clone]);
    // Releases are cut from main, whatever the checkout under test is on (CI may be detached).
    git('checkout', '--quiet', '-B', 'main');
    // With the work tree's changes to tracked files committed, so the test sees what it runs.
    const changes = execFileSync('git', ['diff', 'HEAD', '--binary'], { cwd: ROOT });
    if (changes.length > 0) {
      execFileSync('git', ['apply'], { cwd: clone, input: changes });
      git('commit', '--quiet', '-am', 'the work tree of the checkout under test');
    }
  });
  afterAll(() => rmSync(path.dirname(clone), { recursive: true, force: true }));

  it('tags the version with its CHANGELOG section and moves the major tag to it', () => {
    // npm ci and a bundle: about 45 s on this machine kind.
    const version = (
      JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    const head = git('rev-parse', 'HEAD').trim();
    execFileSync('scripts/release', [version], {
      cwd: clone,
      env: { ...process.env, ...IDENTITY },
      stdio: 'pipe',
    });
    const tag = `v${version}`;
    const major = `v${version.split('.')[0]}`;
    expect(git('cat-file', '-t', tag).trim()).toBe('tag');
    expect(git('rev-parse', `${tag}^{commit}`).trim()).toBe(head);
    expect(git('rev-parse', `${major}^{commit}`).trim()).toBe(head);
    const notes = execFileSync('node', ['scripts/changelog-section.mjs', version], {
      cwd: clone,
      encoding: 'utf8',
    });
    const message = git('tag', '-l', '--format=%(contents)', tag);
    expect(message.startsWith(`Release ${tag}\n\n`)).toBe(true);
    // Every line of the section, its `###` headings included (git would strip them as comments).
    expect(message).toContain(notes.trim());
    expect(git('status', '--porcelain')).toBe('');
  }, 300_000);
});
