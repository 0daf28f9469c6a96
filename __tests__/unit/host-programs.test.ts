/**
 * The programs of a deploy, run one after another on a sandbox host as the action runs them:
 * a first release, a second one that fails its health check, and the rollback to the first.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { layoutOf } from '../../src/host-scripts/layout.js';
import {
  dryRunProgram,
  lockProgram,
  pullProgram,
  recordFailureProgram,
  rollbackProgram,
  startProgram,
  type ReleaseTarget,
} from '../../src/host-scripts/programs.js';
import { EXIT, readReplies } from '../../src/host-scripts/protocol.js';
import { HISTORY_REPLIES } from '../../src/host-scripts/history.js';
import { PRUNE_REPLIES } from '../../src/host-scripts/prune.js';
import { IMAGE_REPLIES, KEEP_REPLIES } from '../../src/host-scripts/release.js';
import { GO_LINE } from '../../src/shell/timed.js';
import { sh } from '../../src/shell/command.js';
import { tarArchive } from '../../src/remote/tar.js';
import { composeContainer, HostSandbox, stubImage, testShells } from '../support/host-sandbox.js';

const FILES = ['docker-compose.yml', '.env'];
const v1 = stubImage('v1', ['registry.example.com/app:v1']);
const v2 = stubImage('v2', ['registry.example.com/app:v2']);
const record = (result: 'success' | 'failure', rolledBack: boolean) => ({
  commit: 'c0ffee',
  actor: 'octocat',
  result,
  rolledBack,
  run: 'https://x/runs/7',
});

describe.each(testShells())('a deploy under $name sh', (shell) => {
  const deploy = (host: HostSandbox, runId: string, files: Record<string, string>) => {
    const layout = layoutOf(host.appDir, runId);
    const target: ReleaseTarget = {
      layout,
      files: FILES,
      project: 'monarch',
    };
    const locked = host.run(lockProgram(layout, { marker: null, seconds: 0 }, 5, 'octocat since'));
    expect(locked.code).toBe(0);
    const entries = Object.entries(files).map(([name, content]) => ({
      name,
      mode: name === '.env' ? 0o600 : 0o644,
      content: Buffer.from(content),
    }));
    const pulled = host.run(pullProgram(target, entries, null), tarArchive(entries));
    expect(pulled.code).toBe(0);
    const started = host.run(
      startProgram(target, { healthSeconds: 5, prune: true, record: record('success', false) }),
    );
    return { layout, target, pulled: readReplies(pulled.stdout, KEEP_REPLIES), started };
  };
  const read = (host: HostSandbox, name: string) =>
    readFileSync(path.join(host.appDir, name), 'utf8');

  it('installs, starts, checks, prunes and records a release; a failed one is rolled back', () => {
    const host = new HostSandbox(shell, {
      images: [v1, v2],
      compose: { afterUp: [composeContainer('monarch', 'web', v1, [{ Health: 'healthy' }])] },
    });
    const first = deploy(host, 'run-1', { 'docker-compose.yml': 'v1 file', '.env': "TAG='v1'\n" });
    expect(first.pulled.get(KEEP_REPLIES.previous)).toBeUndefined();
    expect(first.started.code).toBe(0);
    const report = readReplies(first.started.stdout, HISTORY_REPLIES, IMAGE_REPLIES, PRUNE_REPLIES);
    expect(report.all(IMAGE_REPLIES.container)).toEqual([
      `web registry.example.com/app:v1 ${v1.ID}`,
    ]);
    expect(report.get(PRUNE_REPLIES.removed)).toBe('1');
    expect(report.all(HISTORY_REPLIES.history)).toHaveLength(1);
    expect(read(host, '.env')).toBe("TAG='v1'\n");

    host.update((state) => {
      state.images.push(v2);
      state.compose.afterUp = [
        composeContainer('monarch', 'web', v2, [{ Health: 'starting' }, { Health: 'unhealthy' }], {
          logs: ['v2: cannot reach the database'],
        }),
      ];
    });
    const second = deploy(host, 'run-2', { 'docker-compose.yml': 'v2 file', '.env': "TAG='v2'\n" });
    expect(second.pulled.get(KEEP_REPLIES.previous)).toBe('yes');
    expect(second.started.code).toBe(EXIT.unhealthy);
    expect(second.started.stderr).toContain('v2: cannot reach the database');
    expect(
      readReplies(second.started.stdout, HISTORY_REPLIES).all(HISTORY_REPLIES.history),
    ).toEqual([]);

    host.update((state) => {
      state.compose.afterUp = [composeContainer('monarch', 'web', v1, [{ Health: 'healthy' }])];
    });
    const rollback = host.run(rollbackProgram(second.target, record('failure', true)));
    expect(rollback.code).toBe(0);
    expect([read(host, 'docker-compose.yml'), read(host, '.env')]).toEqual([
      'v1 file',
      "TAG='v1'\n",
    ]);
    expect(host.callsOf('docker', 'tag')).toEqual([
      ['docker', 'tag', '--', v1.ID, 'registry.example.com/app:v1'],
    ]);
    const history = readReplies(rollback.stdout, HISTORY_REPLIES)
      .all(HISTORY_REPLIES.history)
      .map((line) => JSON.parse(line));
    expect(history.map((entry) => [entry.result, entry.rolledBack])).toEqual([
      ['success', false],
      ['failure', true],
    ]);
    expect(readReplies(rollback.stdout, IMAGE_REPLIES).all(IMAGE_REPLIES.container)).toEqual([
      `web registry.example.com/app:v1 ${v1.ID}`,
    ]);
  });

  it('a failure that is not rolled back is recorded, and its staging folder removed', () => {
    const host = new HostSandbox(shell, {
      compose: { pull: { exit: 1, stderr: 'manifest unknown' } },
    });
    const layout = layoutOf(host.appDir, 'run-1');
    host.run(lockProgram(layout, { marker: null, seconds: 0 }, 5, 'octocat since'));
    const target: ReleaseTarget = {
      layout,
      files: FILES,
      project: 'monarch',
    };
    const entries = [{ name: 'docker-compose.yml', mode: 0o644, content: Buffer.from('') }];
    expect(host.run(pullProgram(target, entries, null), tarArchive(entries)).code).toBe(1);
    const recorded = host.run(recordFailureProgram(target, record('failure', false)));
    expect(recorded.code).toBe(0);
    expect(readReplies(recorded.stdout, HISTORY_REPLIES).all(HISTORY_REPLIES.history)).toHaveLength(
      1,
    );
    expect(host.run(sh`test -e ${layout.stagingDir}`).code).not.toBe(0);
  });

  it.each([
    ['v2', false],
    ['v1', true],
  ])(
    'every compose call (%s) names the uploaded file and the project: a file planted in app-dir is never read',
    (_name, composeV1) => {
      const host = new HostSandbox(
        shell,
        {
          composePlugin: !composeV1,
          images: [v1, v2],
          compose: { afterUp: [composeContainer('monarch', 'web', v1, [{ Health: 'healthy' }])] },
        },
        { composeV1 },
      );
      host.writeAppFile('docker-compose.override.yml', 'services: {planted: {image: evil}}\n');
      host.writeAppFile('compose.yaml', 'services: {planted: {image: evil}}\n');
      const first = deploy(host, 'run-1', { 'docker-compose.yml': 'v1', '.env': "TAG='v1'\n" });
      expect(first.started.code).toBe(0);
      host.update((state) => {
        state.compose.afterUp = [composeContainer('monarch', 'web', v2, [{ Health: 'unhealthy' }])];
      });
      const second = deploy(host, 'run-2', { 'docker-compose.yml': 'v2', '.env': "TAG='v2'\n" });
      expect(second.started.code).toBe(EXIT.unhealthy);
      expect(host.run(rollbackProgram(second.target, record('failure', true))).code).toBe(0);
      const release = [{ name: 'docker-compose.yml', mode: 0o644, content: Buffer.from('v3') }];
      const dry = host.run(
        dryRunProgram(
          layoutOf(host.appDir, 'run-3'),
          { marker: null, seconds: 0 },
          'monarch',
          null,
        ),
        Buffer.concat([
          Buffer.from(`${GO_LINE}\n${composeV1 ? 'docker-compose' : 'docker compose'}\n`),
          tarArchive(release),
        ]),
      );
      expect(dry.stdout).not.toContain('compose_error');

      const calls = host
        .calls()
        .filter((c) => c.argv[0] === 'docker-compose' || c.argv[1] === 'compose');
      const subcommands = calls.map((c) => {
        const args = c.argv.slice(c.argv[0] === 'docker-compose' ? 1 : 2);
        expect(args.slice(0, 4)).toEqual([
          '--file',
          'docker-compose.yml',
          '--project-name',
          'monarch',
        ]);
        // Run in the folder of the release's own file (the stub refuses a --file not there).
        expect(c.cwd).toMatch(/\/opt\/monarch(\/\.monarch\/staging-run-\d)?$|monarch-dry-run/);
        return args[4];
      });
      expect(subcommands).toEqual(['pull', 'up', 'pull', 'up', 'up', 'config']);
    },
  );
});
