/**
 * Check-then-use races: a process on the host (a container's, through its mount of app-dir)
 * swaps a path for a link to a file outside app-dir, again and again, while the host scripts
 * run. Whatever the timing, what the links point to is never read into the release or app-dir,
 * never replaced, and never removed (a run may fail: the swapper makes folders vanish).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { layoutOf, type Layout } from '../../src/host-scripts/layout.js';
import { receiveRelease } from '../../src/host-scripts/receive.js';
import { installRelease, keepRelease } from '../../src/host-scripts/release.js';
import { restoreRelease } from '../../src/host-scripts/rollback.js';
import { call } from '../../src/host-scripts/script.js';
import { tarArchive } from '../../src/remote/tar.js';
import { HostSandbox, testShells } from '../support/host-sandbox.js';

const FILES = ['docker-compose.yml', '.env', 'config/app.conf'];
const SECRET = 'TOP SECRET of the SSH user';
const ORIGINAL = 'ORIGINAL content, must stay';
/** Runs of the script under attack, per case: enough for the old scripts to lose every time. */
const ROUNDS = 60;

/** The regular files under `dir` (links not followed) whose content holds `text`. */
function filesHolding(dir: string, text: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesHolding(file, text);
    return entry.isFile() && readFileSync(file, 'utf8').includes(text) ? [file] : [];
  });
}

/**
 * A loop in the background, in `dir`, that swaps `name` (a folder or a file) for a link to
 * `target` and back, as fast as it can, for at most 60 s (or until stopped). It never gets
 * stuck: whatever a script made at `name` meanwhile is put aside (and the last one dropped).
 */
function swapper(dir: string, name: string, target: string): ChildProcess {
  const loop = `end=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$end" ]; do
  rm -rf -- "$1.real"
  mv -T -- "$1" "$1.real" 2>/dev/null
  ln -s -- "$2" "$1.link" && mv -T -- "$1.link" "$1" 2>/dev/null
  rm -f -- "$1.link"
  if [ -L "$1" ]; then rm -f -- "$1"; fi
  mv -T -- "$1.real" "$1" 2>/dev/null
done`;
  return spawn('/bin/sh', ['-c', loop, 'swapper', name, target], { cwd: dir, stdio: 'ignore' });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe.each(testShells())('racing a link swapper under $name sh', (shell) => {
  let host: HostSandbox;
  let layout: Layout;
  let outside: string;
  let running: ChildProcess | undefined;

  beforeEach(() => {
    host = new HostSandbox(shell);
    layout = layoutOf(host.appDir, 'run-1');
    mkdirSync(layout.stateDir, { recursive: true, mode: 0o700 });
    // A folder of the SSH user's, outside app-dir, with a file to read and one to replace.
    outside = host.path('home/outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'app.conf'), ORIGINAL);
    writeFileSync(path.join(outside, 'docker-compose.yml'), SECRET);
  });
  afterEach(async () => {
    if (running) await stop(running);
    running = undefined;
  });

  const expectOutsideUntouched = () => {
    expect(readdirSync(outside).sort()).toEqual(['app.conf', 'docker-compose.yml']);
    expect(readFileSync(path.join(outside, 'app.conf'), 'utf8')).toBe(ORIGINAL);
    expect(readFileSync(path.join(outside, 'docker-compose.yml'), 'utf8')).toBe(SECRET);
  };
  const stage = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(layout.stagingDir, name)), { recursive: true });
      writeFileSync(path.join(layout.stagingDir, name), content);
    }
  };

  it('installing: a folder of app-dir swapped for a link never has the file outside replaced', () => {
    mkdirSync(path.join(host.appDir, 'config'));
    stage({ 'docker-compose.yml': 'new', '.env': "A='1'\n", 'config/app.conf': 'new conf' });
    running = swapper(host.appDir, 'config', outside);
    for (let i = 0; i < ROUNDS; i++) host.run(call(installRelease(layout, FILES)));
    expectOutsideUntouched();
  });

  it('installing: a staged file swapped for a link never brings what it points to into app-dir', () => {
    stage({ 'docker-compose.yml': 'new', '.env': "A='1'\n", 'config/app.conf': 'new conf' });
    running = swapper(
      path.join(layout.stagingDir, 'config'),
      'app.conf',
      path.join(outside, 'docker-compose.yml'),
    );
    for (let i = 0; i < ROUNDS; i++) host.run(call(installRelease(layout, FILES)));
    expect(filesHolding(host.appDir, SECRET)).toEqual([]);
    expectOutsideUntouched();
  });

  it('keeping the running release: a folder swapped for a link is never copied from', () => {
    host.writeAppFile('docker-compose.yml', 'services: {}\n');
    host.writeAppFile('config/docker-compose.yml', 'the real one\n');
    running = swapper(host.appDir, 'config', outside);
    for (let i = 0; i < ROUNDS; i++) {
      host.run(call(keepRelease(layout, ['config/docker-compose.yml'], null)));
      expect(filesHolding(layout.stateDir, SECRET)).toEqual([]);
      rmSync(layout.releaseDir, { recursive: true, force: true });
    }
    expectOutsideUntouched();
  });

  it('rolling back: a file the previous release did not have is removed from app-dir only', () => {
    host.writeAppFile('.monarch/release/docker-compose.yml', 'previous');
    mkdirSync(path.join(host.appDir, 'config'));
    running = swapper(host.appDir, 'config', outside);
    for (let i = 0; i < ROUNDS; i++) host.run(call(restoreRelease(layout, FILES)));
    expectOutsideUntouched();
  });

  it('receiving: the staging folder swapped for a link as it is made is never unpacked into', () => {
    const entries = [
      { name: 'docker-compose.yml', mode: 0o644, content: Buffer.from('uploaded') },
      { name: 'app.conf', mode: 0o600, content: Buffer.from('uploaded conf') },
    ];
    running = swapper(layout.stateDir, path.basename(layout.stagingDir), outside);
    for (let i = 0; i < ROUNDS; i++) {
      try {
        host.run(call(receiveRelease(layout, entries)), tarArchive(entries));
      } catch (error) {
        // A run that stopped before it read the archive (it caught the swap).
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
      }
      // Clear the way for the next run (the swapper moves things meanwhile). With GNU rm, whose
      // walk never follows a link swapped in: busybox's rm -rf removes by path, so a folder
      // swapped for a link as it empties it has it remove the files behind the link.
      execFileSync('/bin/rm', ['-rf', '--', layout.stagingDir, `${layout.stagingDir}.real`]);
    }
    expectOutsideUntouched();
  });
});
