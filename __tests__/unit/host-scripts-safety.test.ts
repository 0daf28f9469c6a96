/**
 * A container with a read-write bind mount of a folder of app-dir may replace any file in it
 * with a link: to a file the SSH user can read, or one it can write. No host script follows
 * such a link: each one is replaced as a link or stops the deploy, with nothing changed, and
 * what the links point to is never changed, and never copied under app-dir.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { HISTORY_REPLIES, recordHistory } from '../../src/host-scripts/history.js';
import { layoutOf, type Layout } from '../../src/host-scripts/layout.js';
import { holdLock, prepareAppDir } from '../../src/host-scripts/prepare.js';
import { EXIT, READY_LINE, readReplies } from '../../src/host-scripts/protocol.js';
import { UNSAFE_REPLIES } from '../../src/host-scripts/safe-files.js';
import { pruneImages } from '../../src/host-scripts/prune.js';
import { installRelease, keepRelease } from '../../src/host-scripts/release.js';
import { restoreRelease, retagPrevious } from '../../src/host-scripts/rollback.js';
import { call } from '../../src/host-scripts/script.js';
import { sh } from '../../src/shell/command.js';
import { HostSandbox, testShells } from '../support/host-sandbox.js';

const FILES = ['docker-compose.yml', '.env', 'config/app.conf'];
const SECRET = 'TOP SECRET of the SSH user';
const ORIGINAL = 'ORIGINAL content, must stay';
const record = { commit: 'c', actor: 'a', result: 'success', rolledBack: false, run: 'u' } as const;

/** The regular files under `dir` (links not followed) whose content holds `text`. */
function filesHolding(dir: string, text: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesHolding(file, text);
    return entry.isFile() && readFileSync(file, 'utf8').includes(text) ? [file] : [];
  });
}

describe.each(testShells())('under $name sh', (shell) => {
  let host: HostSandbox;
  let layout: Layout;
  let readable: string;
  let writable: string;

  beforeEach(() => {
    host = new HostSandbox(shell);
    layout = layoutOf(host.appDir, 'run-1');
    mkdirSync(layout.stateDir, { recursive: true, mode: 0o700 });
    readable = host.path('home/secret.txt');
    writable = host.path('home/writable.txt');
    writeFileSync(readable, SECRET);
    writeFileSync(writable, ORIGINAL);
  });

  /** Everything under app-dir holds nothing of the targets, and the targets are unchanged. */
  const expectUntouched = () => {
    expect(readFileSync(readable, 'utf8')).toBe(SECRET);
    expect(readFileSync(writable, 'utf8')).toBe(ORIGINAL);
    expect(filesHolding(host.appDir, 'TOP SECRET')).toEqual([]);
  };
  const stage = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(layout.stagingDir, name)), { recursive: true });
      writeFileSync(path.join(layout.stagingDir, name), content);
    }
  };
  const plant = (name: string, target: string) => {
    const file = path.join(host.appDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    symlinkSync(target, file);
  };
  const isLink = (name: string) => lstatSync(path.join(host.appDir, name)).isSymbolicLink();

  it.each(['config/app.conf', '.env', 'docker-compose.yml'])(
    'installing a release replaces a link planted at %s as a link',
    (name) => {
      plant(name, writable);
      stage({ 'docker-compose.yml': 'new', '.env': "A='1'\n", 'config/app.conf': 'new conf' });
      expect(host.run(call(installRelease(layout, FILES))).code).toBe(0);
      expect(isLink(name)).toBe(false);
      expect(readFileSync(path.join(host.appDir, 'config/app.conf'), 'utf8')).toBe('new conf');
      expectUntouched();
    },
  );

  it('a folder on the way that is a link stops the install before anything changed', () => {
    host.writeAppFile('docker-compose.yml', 'old');
    symlinkSync(host.path('home'), path.join(host.appDir, 'config'));
    stage({ 'docker-compose.yml': 'new', '.env': 'x', 'config/app.conf': 'c' });
    const run = host.run(call(installRelease(layout, FILES)));
    expect(run.code).toBe(EXIT.unsafePath);
    expect(readReplies(run.stdout, UNSAFE_REPLIES).get(UNSAFE_REPLIES.unsafe)).toBe(
      'config in app-dir is a symbolic link',
    );
    expect(readFileSync(path.join(host.appDir, 'docker-compose.yml'), 'utf8')).toBe('old');
    expect(
      readdirSync(host.path('home'))
        .filter((name) => name !== '.docker')
        .sort(),
    ).toEqual(['secret.txt', 'writable.txt']);
    expectUntouched();
  });

  it('a folder where a file goes stops the install before anything changed', () => {
    mkdirSync(path.join(host.appDir, 'config/app.conf'), { recursive: true });
    stage({ 'docker-compose.yml': 'new', '.env': 'x', 'config/app.conf': 'c' });
    const run = host.run(call(installRelease(layout, FILES)));
    expect(run.code).toBe(EXIT.unsafePath);
    expect(readReplies(run.stdout, UNSAFE_REPLIES).get(UNSAFE_REPLIES.unsafe)).toBe(
      'config/app.conf in app-dir is a folder',
    );
    expect(existsSync(path.join(host.appDir, 'docker-compose.yml'))).toBe(false);
  });

  it('keeping a release from app-dir refuses a link instead of copying what it points to', () => {
    host.writeAppFile('docker-compose.yml', 'services: {}');
    plant('config/app.conf', readable);
    const run = host.run(call(keepRelease(layout, FILES, 'monarch')));
    expect(run.code).toBe(EXIT.unsafePath);
    expect(readReplies(run.stdout, UNSAFE_REPLIES).get(UNSAFE_REPLIES.unsafe)).toMatch(
      /^config\/app\.conf in app-dir is a symbolic link: the running release cannot be kept/,
    );
    expect(existsSync(layout.releaseDir)).toBe(false);
    expect(readdirSync(layout.stateDir)).toEqual([]);
    expectUntouched();
  });

  it("a rollback restores the action's own copy, replacing links planted in app-dir", () => {
    host.writeAppFile('.monarch/release/docker-compose.yml', 'previous');
    host.writeAppFile('.monarch/release/config/app.conf', 'previous conf');
    plant('config/app.conf', writable);
    plant('.env', readable);
    expect(host.run(call(restoreRelease(layout, FILES))).code).toBe(0);
    expect(readFileSync(path.join(host.appDir, 'config/app.conf'), 'utf8')).toBe('previous conf');
    expect(existsSync(path.join(host.appDir, '.env'))).toBe(false);
    expectUntouched();
  });

  it('the history replaces a link planted at its name, and never reads through it', () => {
    symlinkSync(readable, layout.historyFile);
    const run = host.run(call(recordHistory(layout, record)));
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('TOP SECRET');
    expect(lstatSync(layout.historyFile).isSymbolicLink()).toBe(false);
    expect(readReplies(run.stdout, HISTORY_REPLIES).all(HISTORY_REPLIES.history)).toHaveLength(1);
    expectUntouched();
  });

  it('the lock refuses a link at its name, and replaces one at the lock info', () => {
    symlinkSync(writable, layout.lockInfo);
    const locked = host.run(call(holdLock(layout, 5, 'me since')));
    expect(locked).toMatchObject({ code: 0, stdout: `${READY_LINE}\n` });
    expect(lstatSync(layout.lockInfo).isSymbolicLink()).toBe(false);
    symlinkSync(writable, `${layout.lockFile}.planted`);
    host.run(sh`rm -f ${layout.lockFile} && mv ${`${layout.lockFile}.planted`} ${layout.lockFile}`);
    const refused = host.run(call(holdLock(layout, 5, 'me since')));
    expect(refused.code).toBe(EXIT.unsafePath);
    expectUntouched();
  });

  it('prune and retag never read what a link at the rollback images points to', () => {
    writeFileSync(writable, 'registry.example.com/app:v1 sha256:aaaa\n');
    symlinkSync(writable, layout.rollbackImages);
    host.run(call(pruneImages(layout)));
    host.run(call(retagPrevious(layout)));
    expect(host.callsOf('docker', 'tag')).toEqual([]);
  });

  describe('app-dir and its state folder', () => {
    it.each([
      [
        'app-dir is a link',
        () => symlinkSync(host.path('home'), host.appDir),
        'is a symbolic link',
      ],
      [
        'the state folder is a link',
        () => {
          mkdirSync(host.appDir, { recursive: true, mode: 0o755 });
          symlinkSync(host.path('home'), layout.stateDir);
        },
        '.monarch is a symbolic link',
      ],
      [
        'app-dir is writable by its group',
        () => {
          mkdirSync(host.appDir, { recursive: true });
          chmodSync(host.appDir, 0o775);
        },
        'is writable by other users',
      ],
    ])('%s: unsafe, nothing created', (_, setUp, message) => {
      host.run(sh`rm -rf ${host.appDir}`);
      setUp();
      const run = host.run(call(prepareAppDir(layout)));
      expect(run.code).toBe(EXIT.unsafePath);
      expect(readReplies(run.stdout, UNSAFE_REPLIES).get(UNSAFE_REPLIES.unsafe)).toContain(message);
      expect(
        readdirSync(host.path('home'))
          .filter((name) => name !== '.docker')
          .sort(),
      ).toEqual(['secret.txt', 'writable.txt']);
    });

    it('app-dir owned by another user: unsafe', () => {
      // As root, the sandbox's app-dir is given away; otherwise `/`, which root owns, stands
      // for it (the check comes before anything is made in app-dir).
      let foreign = layout;
      if (process.getuid?.() === 0) chownSync(host.appDir, 65534, 65534);
      else foreign = layoutOf('/', 'run-1');
      const run = host.run(call(prepareAppDir(foreign)));
      expect(run.code).toBe(EXIT.unsafePath);
      expect(readReplies(run.stdout, UNSAFE_REPLIES).get(UNSAFE_REPLIES.unsafe)).toMatch(
        /is not owned by \w+/,
      );
    });

    it('a new app-dir is made mode 0700, its state folder too', () => {
      host.run(sh`rm -rf ${host.appDir}`);
      expect(host.run(call(prepareAppDir(layout))).code).toBe(0);
      expect(lstatSync(host.appDir).mode & 0o777).toBe(0o700);
      expect(lstatSync(layout.stateDir).mode & 0o777).toBe(0o700);
    });
  });
});
