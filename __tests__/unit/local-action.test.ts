/**
 * The sources run as they are under GitHub's own `@github/local-action` (the way the
 * actions/typescript-action template runs an action on a laptop), not only through the bundle:
 * with an empty `host`, it prints the action's own error annotation.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = process.cwd();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'monarch-local-action-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("runs src/main.ts under @github/local-action: an empty host gets the action's ::error:: naming 'host'", () => {
  const envFile = path.join(dir, '.env');
  writeFileSync(
    envFile,
    [
      'INPUT_HOST=',
      'INPUT_SSH-PRIVATE-KEY=not a key',
      `GITHUB_STEP_SUMMARY=${path.join(dir, 'summary.md')}`,
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'summary.md'), '');
  const run = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/@github/local-action/bin/local-action.js'),
      'run',
      ROOT,
      'src/main.ts',
      envFile,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
  );
  expect(run.error).toBeUndefined();
  expect(run.stdout).toContain(
    "::error::Invalid input 'host': expected one or more droplet addresses, got nothing",
  );
  // Every invalid input has its own error, and the action ends there, without a crash.
  expect(run.stdout).toContain("::error::Invalid input 'ssh-private-key': expected");
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/TypeError|Cannot read properties/);
});
