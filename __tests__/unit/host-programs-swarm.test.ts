/**
 * The programs of a `mode: swarm` deploy, run one after another on a sandbox manager as the
 * action runs them (the docker stub's swarm): a first stack deploy, a second one whose update
 * pauses and is rolled back, a failure that is only recorded, and the dry run's checks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { layoutOf, STACK_FILE, STACK_IMAGES, type Layout } from '../../src/host-scripts/layout.js';
import { prepareAppDir } from '../../src/host-scripts/prepare.js';
import type { ReleaseTarget } from '../../src/host-scripts/programs.js';
import { EXIT, READY_LINE, readReplies } from '../../src/host-scripts/protocol.js';
import { DRY_RUN_REPLIES } from '../../src/host-scripts/dry-run.js';
import { HISTORY_REPLIES } from '../../src/host-scripts/history.js';
import { KEEP_REPLIES } from '../../src/host-scripts/release.js';
import { GO_LINE } from '../../src/shell/timed.js';
import { call } from '../../src/host-scripts/script.js';
import {
  stackDryRunProgram,
  stackPullProgram,
  stackRecordFailureProgram,
  stackRollbackProgram,
  stackStartProgram,
  type StackTarget,
} from '../../src/host-scripts/stack-programs.js';
import { sh } from '../../src/shell/command.js';
import { tarArchive } from '../../src/remote/tar.js';
import { HostSandbox, testShells, type StubService } from '../support/host-sandbox.js';

const FILES = ['docker-compose.yml', STACK_FILE, STACK_IMAGES, '.env'];
const STACK: StackTarget = {
  name: 'shop',
  services: ['web'],
  startFirstHostPort: [],
  login: null,
};
const record = (result: 'success' | 'failure', rolledBack: boolean) => ({
  commit: 'c0ffee',
  actor: 'octocat',
  result,
  rolledBack,
  run: 'https://x/runs/7',
});
const task = (name: string, state = 'Running 3 seconds ago') => ({
  Name: name,
  CurrentState: state,
  Node: 'droplet2',
});
const web = (image: string, frames: StubService['frames']): StubService => ({
  name: 'shop_web',
  spec: { TaskTemplate: { ContainerSpec: { Image: image } } },
  frames,
});
const converged = (image: string) =>
  web(image, [{ replicas: '1/1', state: 'completed', tasks: [task('shop_web.1')] }]);

function release(tag: string) {
  return [
    ['docker-compose.yml', `services: {web: {image: app:${tag}}}\n`, 0o644],
    [STACK_FILE, `services:\n  web:\n    image: "registry.example.com/app:${tag}"\n`, 0o600],
    [STACK_IMAGES, `registry.example.com/app:${tag}\n`, 0o600],
    ['.env', `TAG='${tag}'\n`, 0o600],
  ].map(([name, content, mode]) => ({
    name: name as string,
    mode: mode as number,
    content: Buffer.from(content as string),
  }));
}

describe.each(testShells())('a stack deploy under $name sh', (shell) => {
  const prepared = (host: HostSandbox, runId: string): ReleaseTarget => {
    const layout = layoutOf(host.appDir, runId);
    expect(host.run(call(prepareAppDir(layout))).code).toBe(0);
    return { layout, files: FILES, project: 'shop' };
  };
  const pull = (host: HostSandbox, target: ReleaseTarget, tag: string) => {
    const entries = release(tag);
    return host.run(stackPullProgram(target, STACK, entries), tarArchive(entries));
  };
  const read = (layout: Layout, name: string) =>
    readFileSync(path.join(layout.appDir, name), 'utf8');
  const options = { healthSeconds: 5, prune: true, record: record('success', false) };

  it('deploys, waits for, reports and records a stack; a failed update is rolled back', () => {
    const host = new HostSandbox(
      shell,
      { swarm: { services: [], afterDeploy: { services: [converged('app:v1')] } } },
      { clock: true },
    );
    const first = prepared(host, 'run-1');
    const pulled = pull(host, first, 'v1');
    expect(pulled.code).toBe(0);
    expect(readReplies(pulled.stdout, KEEP_REPLIES).get(KEEP_REPLIES.previous)).toBeUndefined();
    expect(host.callsOf('docker', 'pull')).toEqual([
      ['docker', 'pull', '--quiet', 'registry.example.com/app:v1'],
    ]);
    const started = host.run(stackStartProgram(first, STACK, options));
    expect(started.code).toBe(0);
    expect(host.callsOf('docker', 'stack', 'deploy')).toHaveLength(1);
    expect(read(first.layout, '.env')).toBe("TAG='v1'\n");
    const report = readReplies(started.stdout, HISTORY_REPLIES);
    expect(report.all(HISTORY_REPLIES.history).map((line) => JSON.parse(line).result)).toEqual([
      'success',
    ]);

    // v2's update pauses: the start fails, the rollback puts v1's spec and files back.
    host.update((state) => {
      state.swarm!.afterDeploy = {
        services: [
          {
            ...web('app:v2', [{ replicas: '0/1', state: 'paused', tasks: [] }]),
            rollbackFrames: [
              { replicas: '1/1', state: 'rollback_completed', tasks: [task('shop_web.1')] },
            ],
          },
        ],
      };
    });
    const second = prepared(host, 'run-2');
    const pulledAgain = pull(host, second, 'v2');
    expect(pulledAgain.code).toBe(0);
    expect(readReplies(pulledAgain.stdout, KEEP_REPLIES).get(KEEP_REPLIES.previous)).toBe('yes');
    const failed = host.run(stackStartProgram(second, STACK, options));
    expect(failed.code).toBe(EXIT.unhealthy);
    expect(failed.stderr).toContain('shop_web: Swarm paused its update');
    expect(read(second.layout, '.env')).toBe("TAG='v2'\n");
    const rolledBack = host.run(stackRollbackProgram(second, STACK, 5, record('failure', true)));
    expect(rolledBack).toMatchObject({ code: 0, stderr: expect.any(String) });
    expect(host.callsOf('docker', 'service', 'rollback')).toEqual([
      ['docker', 'service', 'rollback', '--detach', 'shop_web'],
    ]);
    expect(read(second.layout, '.env')).toBe("TAG='v1'\n");
    expect(host.run(sh`test -e ${second.layout.stagingDir}`).code).not.toBe(0);
    const history = readReplies(rolledBack.stdout, HISTORY_REPLIES)
      .all(HISTORY_REPLIES.history)
      .map((l) => JSON.parse(l));
    expect(history.map((entry) => [entry.result, entry.rolledBack])).toEqual([
      ['success', false],
      ['failure', true],
    ]);
  });

  it('a failure that is not rolled back is recorded, and its staging folder removed', () => {
    const host = new HostSandbox(
      shell,
      { swarm: { services: [], missing: ['registry.example.com/app:v9'] } },
      { clock: true },
    );
    const target = prepared(host, 'run-1');
    expect(pull(host, target, 'v9').code).toBe(1);
    const recorded = host.run(stackRecordFailureProgram(target, STACK, record('failure', false)));
    expect(recorded.code).toBe(0);
    expect(readReplies(recorded.stdout, HISTORY_REPLIES).all(HISTORY_REPLIES.history)).toHaveLength(
      1,
    );
    expect(host.run(sh`test -e ${target.layout.stagingDir}`).code).not.toBe(0);
  });

  it('the dry run checks the manager and the stack, and changes nothing', () => {
    const host = new HostSandbox(shell, { swarm: { services: [converged('app:v1')] } });
    const layout = layoutOf(host.appDir, 'run-1');
    const entries = release('v2');
    const run = host.run(
      stackDryRunProgram(layout, { marker: null, seconds: 0 }, 'shop', null),
      Buffer.concat([Buffer.from(`${GO_LINE}\ndocker compose\n`), tarArchive(entries)]),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${READY_LINE}\n`);
    expect(readReplies(run.stdout, DRY_RUN_REPLIES).all(DRY_RUN_REPLIES.stackService)).toContain(
      'shop_web',
    );
    expect(host.callsOf('docker', 'stack', 'deploy')).toEqual([]);
    expect(host.callsOf('docker', 'service', 'rollback')).toEqual([]);
  });
});
