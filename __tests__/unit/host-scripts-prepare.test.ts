/**
 * The scripts a deploy starts with (marker, docker, app-dir, lock) and the protocol around
 * every remote command, under real shells with stub docker, flock, sleep and timeout.
 */
import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { layoutOf } from '../../src/host-scripts/layout.js';
import {
  DETECT_REPLIES,
  detectDocker,
  holdLock,
  LOCK_REPLIES,
  MARKER_REPLIES,
  prepareAppDir,
  removeStaleStaging,
  waitForMarker,
} from '../../src/host-scripts/prepare.js';
import { lockProgram } from '../../src/host-scripts/programs.js';
import { EXIT, READY_LINE, readReplies } from '../../src/host-scripts/protocol.js';
import { call } from '../../src/host-scripts/script.js';
import { sh } from '../../src/shell/command.js';
import { GO_LINE, timedCommand } from '../../src/shell/timed.js';
import { HostSandbox, testShells } from '../support/host-sandbox.js';

describe.each(testShells())('under $name sh', (shell) => {
  const sandbox = (
    ...args: ConstructorParameters<typeof HostSandbox> extends [unknown, ...infer R] ? R : never
  ) => new HostSandbox(shell, ...args);

  describe('timedCommand', () => {
    it('runs the script under timeout, with its kill delay and limit in seconds', () => {
      const host = sandbox();
      const run = host.run(timedCommand(sh`echo ran`, 2500));
      expect(run).toMatchObject({ code: 0, stdout: 'ran\n' });
      expect(host.callsOf('timeout')).toEqual([
        ['timeout', '-k', '5', '3', 'sh', '-c', 'echo ran'],
      ]);
    });

    it.each([
      ['the go line', `${GO_LINE}\n`, 0],
      ['nothing (the step before failed)', '', EXIT.notStarted],
      ['another line', 'stop\n', EXIT.notStarted],
    ])('waiting for go, given %s, exits %d', (_, stdin, code) => {
      const host = sandbox();
      const run = host.run(timedCommand(sh`echo started`, 1000, true), stdin);
      expect(run.code).toBe(code);
      expect(run.stdout).toBe(code === 0 ? 'started\n' : '');
    });

    it('hands the rest of its input to the script after the go line', () => {
      const host = sandbox();
      const run = host.run(timedCommand(sh`cat`, 1000, true), `${GO_LINE}\nsecret over stdin\n`);
      expect(run.stdout).toBe('secret over stdin\n');
    });
  });

  describe('waitForMarker', () => {
    it('returns at once when the marker is there', () => {
      const host = sandbox();
      writeFileSync(host.path('setup_complete'), '');
      const run = host.run(call(waitForMarker(host.path('setup_complete'), 30)));
      expect(run).toMatchObject({ code: 0, stdout: `${MARKER_REPLIES.waited}=0\n` });
      expect(host.callsOf('sleep')).toEqual([]);
    });

    it('waits a second at a time and gives up after its seconds', () => {
      const host = sandbox();
      const run = host.run(call(waitForMarker(host.path('never'), 3)));
      expect(run.code).toBe(EXIT.markerTimeout);
      expect(host.callsOf('sleep')).toEqual([
        ['sleep', '1'],
        ['sleep', '1'],
        ['sleep', '1'],
      ]);
    });
  });

  describe('detectDocker', () => {
    it.each([
      ['the compose plugin', { composePlugin: true }, {}, 'docker compose'],
      ['only docker-compose', { composePlugin: false }, { composeV1: true }, 'docker-compose'],
    ] as const)('finds %s', (_, state, options, compose) => {
      const host = sandbox(state, options);
      const run = host.run(call(detectDocker()));
      expect(run.code).toBe(0);
      expect(readReplies(run.stdout, DETECT_REPLIES).get(DETECT_REPLIES.compose)).toBe(compose);
      expect(readReplies(run.stdout, DETECT_REPLIES).get(DETECT_REPLIES.user)).toMatch(/\S/);
    });

    it('exits noDocker without any compose', () => {
      const host = sandbox({ composePlugin: false });
      expect(host.run(call(detectDocker())).code).toBe(EXIT.noDocker);
    });
  });

  describe('prepareAppDir', () => {
    it('creates app-dir and its state folder, mode 0700', () => {
      const host = sandbox();
      const layout = layoutOf(host.appDir, 'run-1');
      expect(host.run(call(prepareAppDir(layout))).code).toBe(0);
      expect(statSync(host.appDir).isDirectory()).toBe(true);
      expect(statSync(layout.stateDir).mode & 0o777).toBe(0o700);
    });

    it('exits notWritable when app-dir cannot be made', () => {
      const host = sandbox();
      writeFileSync(host.path('opt-file'), '');
      const layout = layoutOf(`${host.path('opt-file')}/monarch`, 'run-1');
      expect(host.run(call(prepareAppDir(layout))).code).toBe(EXIT.notWritable);
    });
  });

  describe('removeStaleStaging', () => {
    it("removes other runs' staging folders older than a day, and nothing else", () => {
      const host = sandbox();
      const layout = layoutOf(host.appDir, 'run-1');
      host.writeAppFile('.monarch/staging-old/docker-compose.yml', 'old');
      host.writeAppFile('.monarch/staging-new/docker-compose.yml', 'new');
      host.writeAppFile('.monarch/history.log', '');
      const old = new Date(Date.now() - 2 * 86_400_000);
      for (const name of ['staging-old', 'history.log'])
        utimesSync(`${layout.stateDir}/${name}`, old, old);
      expect(host.run(call(removeStaleStaging(layout))).code).toBe(0);
      expect(existsSync(`${layout.stateDir}/staging-old`)).toBe(false);
      expect(existsSync(`${layout.stateDir}/staging-new`)).toBe(true);
      expect(existsSync(layout.historyFile)).toBe(true);
    });
  });

  describe('holdLock', () => {
    const prepared = (state: Parameters<typeof sandbox>[0] = {}) => {
      const host = sandbox(state);
      const layout = layoutOf(host.appDir, 'run-1');
      host.run(call(prepareAppDir(layout)));
      return { host, layout };
    };

    it('takes a free lock, records who holds it, says it is ready, and holds it until its input closes', () => {
      const { host, layout } = prepared();
      const run = host.run(call(holdLock(layout, 10, 'octocat (https://x/runs/7) since')));
      expect(run).toMatchObject({ code: 0, stdout: `${READY_LINE}\n` });
      expect(host.callsOf('flock')).toEqual([['flock', '-n', '9']]);
      expect(readFileSync(layout.lockInfo, 'utf8')).toMatch(
        /^octocat \(https:\/\/x\/runs\/7\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/,
      );
    });

    it('waits up to its seconds for a held lock, and says it waited', () => {
      const { host, layout } = prepared({ flock: { free: false, freeAfterWait: true } });
      const run = host.run(call(holdLock(layout, 10, 'me since')));
      expect(run.code).toBe(0);
      expect(readReplies(run.stdout, LOCK_REPLIES).get(LOCK_REPLIES.lockWaited)).toMatch(/^\d+$/);
      expect(host.callsOf('flock')).toEqual([
        ['flock', '-n', '9'],
        ['flock', '-w', '10', '9'],
      ]);
    });

    it('gives up with who holds the lock', () => {
      const { host, layout } = prepared({ flock: { free: false, freeAfterWait: false } });
      writeFileSync(layout.lockInfo, 'hubot (https://x/runs/6) since 2026-11-30T08:00:00Z\n');
      const run = host.run(call(holdLock(layout, 10, 'me since')));
      expect(run.code).toBe(EXIT.locked);
      expect(readReplies(run.stdout, LOCK_REPLIES).all(LOCK_REPLIES.holder)).toEqual([
        'hubot (https://x/runs/6) since 2026-11-30T08:00:00Z',
      ]);
      expect(run.stdout).not.toContain(READY_LINE);
    });

    it('exits noFlock on a host without flock', () => {
      const host = new HostSandbox(shell, {}, { flock: false });
      const layout = layoutOf(host.appDir, 'run-1');
      host.run(call(prepareAppDir(layout)));
      expect(host.run(call(holdLock(layout, 10, 'me since'))).code).toBe(EXIT.noFlock);
    });
  });

  describe('lockProgram', () => {
    it('waits for the marker, finds compose, makes app-dir and holds the lock, in one command', () => {
      const host = sandbox();
      writeFileSync(host.path('setup_complete'), '');
      const layout = layoutOf(host.appDir, 'run-1');
      const run = host.run(
        lockProgram(layout, { marker: host.path('setup_complete'), seconds: 5 }, 10, 'me since'),
      );
      expect(run.code).toBe(0);
      const replies = readReplies(run.stdout, DETECT_REPLIES, MARKER_REPLIES);
      expect([replies.get(MARKER_REPLIES.waited), replies.get(DETECT_REPLIES.compose)]).toEqual([
        '0',
        'docker compose',
      ]);
      expect(run.stdout.endsWith(`${READY_LINE}\n`)).toBe(true);
      expect(existsSync(layout.lockFile)).toBe(true);
    });

    it('stops at the first step that fails, with its exit code', () => {
      const host = sandbox();
      const layout = layoutOf(host.appDir, 'run-1');
      const run = host.run(
        lockProgram(layout, { marker: host.path('never'), seconds: 1 }, 10, 'me'),
      );
      expect(run.code).toBe(EXIT.markerTimeout);
      expect(existsSync(host.appDir)).toBe(false);
    });
  });
});
