/**
 * The swarm host scripts under real shells, against the docker stub's swarm: the manager check,
 * the snapshot a rollback compares with, the convergence wait, the rollback, the pull of the
 * stack's images and what a deploy removes.
 */
import { writeFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { layoutOf, STACK_IMAGES } from '../../src/host-scripts/layout.js';
import { EXIT, readReplies } from '../../src/host-scripts/protocol.js';
import { LOCK_REPLIES } from '../../src/host-scripts/prepare.js';
import { KEEP_REPLIES } from '../../src/host-scripts/release.js';
import { call } from '../../src/host-scripts/script.js';
import {
  CONVERGE_REPLIES,
  reportStack,
  waitForRollback,
  waitForStack,
} from '../../src/host-scripts/swarm-converge.js';
import { LEASE_REPLIES, releaseLease, takeLease } from '../../src/host-scripts/swarm-lease.js';
import { stackLockProgram } from '../../src/host-scripts/stack-programs.js';
import {
  detectSwarm,
  pullStackImages,
  removeDroppedServices,
  rollbackStack,
  snapshotStack,
  STACK_REPLIES,
  SWARM_REPLIES,
} from '../../src/host-scripts/swarm-stack.js';
import {
  HostSandbox,
  testShells,
  type StubService,
  type StubSwarm,
  type TestShell,
} from '../support/host-sandbox.js';

const running = (name: string, node = 'droplet2') => ({
  Name: name,
  CurrentState: 'Running 3 seconds ago',
  Node: node,
});

const web = (
  image: string,
  frames: StubService['frames'] = [
    {
      replicas: '2/2',
      state: 'completed',
      tasks: [running('shop_web.1'), running('shop_web.2', 'droplet3')],
    },
  ],
): StubService => ({
  name: 'shop_web',
  spec: { TaskTemplate: { ContainerSpec: { Image: image } } },
  frames,
});

function sandbox(shell: TestShell, swarm: StubSwarm): HostSandbox {
  return new HostSandbox(shell, { swarm }, { clock: true });
}

describe.each(testShells())('swarm host scripts under $name sh', (shell) => {
  describe('detectSwarm', () => {
    it.each([
      [{ state: 'active', control: true }, 0, 'active true'],
      [{ state: 'active', control: false }, EXIT.notManager, 'active false'],
      [{ state: 'inactive', control: false }, EXIT.notManager, 'inactive false'],
      [{ state: 'active', control: true, quorum: false }, EXIT.notManager, 'active true noquorum'],
    ])('%j: exit %i, swarm=%s', (node, code, reply) => {
      const host = sandbox(shell, { node, services: [] });
      const run = host.run(call(detectSwarm()));
      expect(run.code).toBe(code);
      expect(readReplies(run.stdout, SWARM_REPLIES).get(SWARM_REPLIES.swarm)).toBe(reply);
    });
  });

  describe('snapshotStack', () => {
    it('records each service with a hash of its spec, and says there is a previous release', () => {
      const host = sandbox(shell, { services: [web('app:v1')] });
      const layout = layoutOf(host.appDir, 'run-1');
      mkdirSync(layout.stateDir, { recursive: true });
      const run = host.run(call(snapshotStack(layout, 'shop')));
      expect(run.code).toBe(0);
      expect(readReplies(run.stdout, KEEP_REPLIES).get(KEEP_REPLIES.previous)).toBe('yes');
      expect(readFileSync(path.join(layout.stateDir, 'stack-services'), 'utf8')).toMatch(
        /^shop_web \d+-\d+\n$/,
      );
    });

    it('a first deploy: an empty record, and no previous release', () => {
      const host = sandbox(shell, { services: [] });
      const layout = layoutOf(host.appDir, 'run-1');
      mkdirSync(layout.stateDir, { recursive: true });
      const run = host.run(call(snapshotStack(layout, 'shop')));
      expect(run.code).toBe(0);
      expect(readReplies(run.stdout, KEEP_REPLIES).all(KEEP_REPLIES.previous)).toEqual([]);
      expect(existsSync(path.join(layout.stateDir, 'stack-services'))).toBe(true);
    });

    it('docker failing is a failure, never an empty stack', () => {
      const host = sandbox(shell, {
        services: [web('app:v1')],
        failNext: { 'service inspect': 1 },
      });
      const layout = layoutOf(host.appDir, 'run-1');
      mkdirSync(layout.stateDir, { recursive: true });
      const run = host.run(call(snapshotStack(layout, 'shop')));
      expect(run.code).not.toBe(0);
      expect(readReplies(run.stdout, KEEP_REPLIES).all(KEEP_REPLIES.previous)).toEqual([]);
    });
  });

  describe('rollbackStack', () => {
    function afterFailedDeploy(swarm: StubSwarm, change: (host: HostSandbox) => void) {
      const host = sandbox(shell, swarm);
      const layout = layoutOf(host.appDir, 'run-1');
      mkdirSync(layout.stateDir, { recursive: true });
      expect(host.run(call(snapshotStack(layout, 'shop'))).code).toBe(0);
      change(host);
      return { host, run: host.run(call(rollbackStack(layout, 'shop'))) };
    }

    it('rolls back each changed service once, removes the one the deploy created, leaves the rest', () => {
      const worker: StubService = { name: 'shop_worker', spec: { image: 'w:1' } };
      const { host, run } = afterFailedDeploy({ services: [web('app:v1'), worker] }, (h) =>
        h.update((state) => {
          const swarm = state.swarm!;
          swarm.services[0] = { ...web('app:v2'), previousSpec: swarm.services[0].spec };
          swarm.services.push({ name: 'shop_new', spec: { image: 'n:1' } });
        }),
      );
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual(['shop_web']);
      expect(run.stderr).toContain('removed shop_new, which the failed deploy created');
      expect(host.callsOf('docker', 'service', 'rollback')).toEqual([
        ['docker', 'service', 'rollback', '--detach', 'shop_web'],
      ]);
      expect(host.callsOf('docker', 'service', 'rm')).toEqual([
        ['docker', 'service', 'rm', 'shop_new'],
      ]);
    });

    it('a service Swarm is rolling back itself is waited for, not rolled back again', () => {
      const { host, run } = afterFailedDeploy({ services: [web('app:v1')] }, (h) =>
        h.update((state) => {
          state.swarm!.services[0].frames = [{ replicas: '2/2', state: 'rollback_started' }];
          state.swarm!.ticks = 1;
        }),
      );
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe('shop_web');
      expect(host.callsOf('docker', 'service', 'rollback')).toEqual([]);
    });

    it('without the record of the stack before the deploy, it changes nothing and fails', () => {
      const host = sandbox(shell, { services: [web('app:v2')] });
      const layout = layoutOf(host.appDir, 'run-1');
      mkdirSync(layout.stateDir, { recursive: true });
      const run = host.run(call(rollbackStack(layout, 'shop')));
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("no record of the stack's services before this deploy");
      expect(host.callsOf('docker', 'service', 'rm')).toEqual([]);
      expect(host.callsOf('docker', 'service', 'rollback')).toEqual([]);
    });

    it('docker failing while it compares is a failure, and removes nothing', () => {
      const { host, run } = afterFailedDeploy({ services: [web('app:v1')] }, (h) =>
        h.update((state) => {
          state.swarm!.failNext = { 'service inspect': 1 };
        }),
      );
      expect(run.code).not.toBe(0);
      expect(host.callsOf('docker', 'service', 'rm')).toEqual([]);
    });
  });

  describe('waitForStack', () => {
    const wait = (host: HostSandbox, seconds = 30, startFirst: string[] = []) =>
      host.run(call(waitForStack('shop', seconds, startFirst), ['shop_web']));

    it('returns once the service runs its desired replicas of the new spec', () => {
      const host = sandbox(shell, {
        services: [
          web('app:v2', [
            { replicas: '2/2', state: 'updating', tasks: [running('shop_web.1')] },
            {
              replicas: '2/2',
              state: 'updating',
              tasks: [
                running('shop_web.1'),
                { Name: 'shop_web.2', CurrentState: 'Starting 1 second ago', Node: 'droplet3' },
              ],
            },
            {
              replicas: '2/2',
              state: 'completed',
              tasks: [running('shop_web.1'), running('shop_web.2', 'droplet3')],
            },
          ]),
        ],
      });
      const run = wait(host);
      expect(run).toMatchObject({ code: 0 });
      expect(host.callsOf('sleep')).toHaveLength(2);
    });

    it('a paused update fails at once, the failing service first, then its ended tasks and the nodes down', () => {
      const host = sandbox(shell, {
        nodes: [
          { Hostname: 'droplet1', Status: 'Ready', Availability: 'Active' },
          { Hostname: 'droplet3', Status: 'Down', Availability: 'Active' },
        ],
        services: [
          web('app:v3', [
            {
              replicas: '1/2',
              state: 'paused',
              message: 'update paused due to failure or early termination of task abc',
              tasks: [
                running('shop_web.1'),
                {
                  Name: 'shop_web.2',
                  CurrentState: 'Failed 1 second ago',
                  Node: 'droplet3',
                  Error: 'task: non-zero exit (137): dockerexec: unhealthy container',
                  DesiredState: 'shutdown',
                },
              ],
            },
          ]),
        ],
      });
      const run = wait(host);
      expect(run.code).toBe(EXIT.unhealthy);
      const lines = run.stderr.trim().split('\n');
      expect(lines[0]).toBe(
        'shop_web: Swarm paused its update: update paused due to failure or early termination of task abc',
      );
      expect(lines).toContain(
        'shop_web: ended task shop_web.2 on droplet3: Failed 1 second ago task: non-zero exit (137): dockerexec: unhealthy container',
      );
      expect(lines[lines.length - 1]).toBe('node droplet3 is Down (Active)');
      expect(host.callsOf('sleep')).toHaveLength(0);
    });

    const stuck = {
      replicas: '2/2',
      state: 'updating',
      tasks: [
        {
          Name: 'shop_web.1',
          CurrentState: 'Pending 1 second ago',
          Error: 'no suitable node (host-mode port already in use on 2 nodes)',
        },
        running('shop_web.1'),
        running('shop_web.2', 'droplet3'),
      ],
    };

    it('a start-first task that no node can take for its host-mode port fails after a few seconds, saying why', () => {
      const host = sandbox(shell, { services: [web('app:v2', [stuck])] });
      const run = wait(host, 120, ['shop_web']);
      expect(run.code).toBe(EXIT.unhealthy);
      expect(run.stderr.split('\n')[0]).toBe(
        'shop_web: no node can take its new task: the old task holds its host-mode port, and a start-first update needs a node where it is free (update_config.order: stop-first, or one more node)',
      );
      expect(host.callsOf('sleep').length).toBeLessThan(10);
    });

    it('the same for a stop-first service is waited for (its old task may still be stopping), until the timeout', () => {
      const host = sandbox(shell, { services: [web('app:v2', [stuck])] });
      const run = wait(host, 20);
      expect(run.code).toBe(EXIT.healthTimeout);
      expect(run.stderr).toContain(
        'shop_web: 2/2 tasks of its current spec running, updating; task shop_web.1: Pending 1 second ago',
      );
    });

    it('a docker call that fails (a manager electing its leader) is tried again the next second', () => {
      const host = sandbox(shell, {
        services: [web('app:v2')],
        failNext: { 'service ps': 2 },
      });
      expect(wait(host).code).toBe(0);
      expect(host.callsOf('sleep')).toHaveLength(2);
    });

    it('a swarm that never answers is a timeout saying so', () => {
      const host = sandbox(shell, { services: [web('app:v2')], failNext: { 'service ls': 100 } });
      const run = wait(host, 5);
      expect(run.code).toBe(EXIT.healthTimeout);
      expect(run.stderr).toContain('swarm: did not answer: Error response from daemon');
    });
  });

  describe('waitForRollback', () => {
    it('waits through rollback_started and ends at rollback_completed', () => {
      const host = sandbox(shell, {
        services: [
          web('app:v1', [
            { replicas: '2/2', state: 'rollback_started', tasks: [running('shop_web.1')] },
            {
              replicas: '2/2',
              state: 'rollback_completed',
              tasks: [running('shop_web.1'), running('shop_web.2')],
            },
          ]),
        ],
      });
      const run = host.run(call(waitForRollback('shop', 30), ['shop_web']));
      expect(run.code).toBe(0);
      expect(host.callsOf('sleep')).toHaveLength(1);
    });

    it('a paused rollback fails', () => {
      const host = sandbox(shell, {
        services: [
          web('app:v1', [
            { replicas: '1/2', state: 'rollback_paused', message: 'update paused due to failure' },
          ]),
        ],
      });
      const run = host.run(call(waitForRollback('shop', 30), ['shop_web']));
      expect(run.code).toBe(EXIT.unhealthy);
      expect(run.stderr.split('\n')[0]).toBe(
        'shop_web: Swarm paused its rollback: update paused due to failure',
      );
    });
  });

  describe('pullStackImages', () => {
    function staged(host: HostSandbox, images: string[]) {
      const layout = layoutOf(host.appDir, 'run-1');
      mkdirSync(path.join(layout.stagingDir, '.monarch-docker-config'), { recursive: true });
      writeFileSync(path.join(layout.stagingDir, STACK_IMAGES), `${images.join('\n')}\n`);
      return layout;
    }

    it('pulls every image of the file through the run docker config, none on its command line but as docker pull arguments', () => {
      const host = sandbox(shell, { services: [] });
      const layout = staged(host, [
        'registry.example.com/app:v2',
        'registry.example.com/worker:v2',
      ]);
      const run = host.run(call(pullStackImages(layout, { server: 'registry.example.com' })));
      expect(run.code).toBe(0);
      const pulls = host.calls().filter((c) => c.argv[1] === 'pull');
      expect(pulls.map((c) => c.argv.slice(1)).sort()).toEqual([
        ['pull', '--quiet', 'registry.example.com/app:v2'],
        ['pull', '--quiet', 'registry.example.com/worker:v2'],
      ]);
      expect(pulls.every((c) => c.dockerConfig?.endsWith('.monarch-docker-config'))).toBe(true);
    });

    it('a refused login exits loginFailed; a missing image fails', () => {
      const refused = sandbox(shell, { services: [] });
      refused.update((state) => (state.registry = { 'registry.example.com': 'b3RoZXI=' }));
      const layout = staged(refused, ['registry.example.com/app:v2']);
      expect(
        refused.run(call(pullStackImages(layout, { server: 'registry.example.com' }))).code,
      ).toBe(EXIT.loginFailed);
      const missing = sandbox(shell, { services: [], missing: ['registry.example.com/app:v9'] });
      const layout2 = staged(missing, ['registry.example.com/app:v9']);
      const run = missing.run(call(pullStackImages(layout2, null)));
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('manifest unknown');
    });
  });

  it('reportStack prints replicas, images and running tasks, asking service ls once', () => {
    const host = sandbox(shell, { services: [web('registry.example.com/app:v2@sha256:abc')] });
    const run = host.run(call(reportStack('shop')));
    expect(run.code).toBe(0);
    const replies = readReplies(run.stdout, CONVERGE_REPLIES, LEASE_REPLIES, LOCK_REPLIES);
    expect(replies.all(CONVERGE_REPLIES.replicas)).toEqual(['shop_web 2/2']);
    expect(replies.all(CONVERGE_REPLIES.image)).toEqual([
      'shop_web registry.example.com/app:v2@sha256:abc',
    ]);
    expect(replies.all(CONVERGE_REPLIES.task)).toEqual([
      'shop_web.1 droplet2',
      'shop_web.2 droplet3',
    ]);
    expect(host.callsOf('docker', 'service', 'ls')).toHaveLength(1);
  });

  it('removeDroppedServices removes the services the file no longer has', () => {
    const host = sandbox(shell, {
      services: [web('app:v2'), { name: 'shop_old', spec: {} }, { name: 'other_x', spec: {} }],
    });
    const run = host.run(call(removeDroppedServices('shop', ['web'])));
    expect(run.code).toBe(0);
    expect(readReplies(run.stdout, STACK_REPLIES).all(STACK_REPLIES.prunedService)).toEqual([
      'shop_old',
    ]);
    expect(host.state().swarm?.services.map((s) => s.name)).toEqual(['shop_web', 'other_x']);
  });

  describe('the swarm-wide lock of a stack', () => {
    const LEASE = 'monarch-lock-shop';
    const lease = (since: number, token: string, holder: string) => ({
      Labels: { 'monarch.lock': '1', 'monarch.since': String(since), 'monarch.token': token },
      Data: Buffer.from(holder).toString('base64'),
    });
    const held = (since: number, holder = 'octocat (run 1) since 2026-12-03T10:00:00Z') => ({
      [LEASE]: lease(since, 'run-1@m1', holder),
    });
    const claim = (waitSeconds: number, token = 'run-2@m1') => ({
      stack: 'shop',
      waitSeconds,
      staleSeconds: 600,
      holder: 'hubot (run 2) since',
      token,
    });
    const holderOf = (host: HostSandbox) =>
      Buffer.from(host.state().swarm?.configs?.[LEASE]?.Data ?? '', 'base64').toString();

    it('is taken when free, with who holds it, since when, and its owner', () => {
      const host = sandbox(shell, { services: [] });
      const run = host.run(call(takeLease(claim(30))));
      expect(run.code).toBe(0);
      expect(holderOf(host)).toMatch(/^hubot \(run 2\) since \d{4}-/);
      const labels = host.state().swarm?.configs?.[LEASE]?.Labels;
      expect(labels?.['monarch.since']).toMatch(/^\d+$/);
      expect(labels?.['monarch.token']).toBe('run-2@m1');
    });

    it("another run's is waited for, then it gives up naming the holder", () => {
      // The stub clock starts at 1000 s.
      const host = sandbox(shell, { services: [], configs: held(1000) });
      const run = host.run(call(takeLease(claim(5))));
      expect(run.code).toBe(EXIT.locked);
      const replies = readReplies(run.stdout, CONVERGE_REPLIES, LEASE_REPLIES, LOCK_REPLIES);
      expect(replies.get(LOCK_REPLIES.holder)).toBe('octocat (run 1) since 2026-12-03T10:00:00Z');
      expect(replies.get(LEASE_REPLIES.lease)).toBe('swarm');
      expect(host.callsOf('sleep').length).toBeGreaterThan(0);
    });

    it("a dead run's (older than its whole budget) is taken over", () => {
      const host = sandbox(shell, { services: [], configs: held(10) });
      const run = host.run(call(takeLease(claim(5))));
      expect(run.code).toBe(0);
      expect(holderOf(host)).toMatch(/^hubot/);
    });

    it("two runs taking a dead run's over: the one that comes second removes nothing of the first", () => {
      // Run 3 judged run 1's lease stale; run 2 has taken it over just before run 3 removes it.
      const run2 = lease(1000, 'run-2@m2', 'hubot (run 2) since 2026-12-03T11:00:00Z');
      const host = sandbox(shell, {
        services: [],
        configs: held(10),
        beforeConfigRm: { name: LEASE, config: run2 },
      });
      const run = host.run(call(takeLease(claim(3, 'run-3@m1'))));
      expect(run.code).toBe(EXIT.locked);
      expect(readReplies(run.stdout, LOCK_REPLIES).get(LOCK_REPLIES.holder)).toBe(
        'hubot (run 2) since 2026-12-03T11:00:00Z',
      );
      expect(host.state().swarm?.configs?.[LEASE]?.Labels['monarch.token']).toBe('run-2@m2');
    });

    it("is given back only while it is this run's: one taken over since is left to its new owner", () => {
      const host = sandbox(shell, { services: [], configs: held(1000) });
      expect(host.run(call(releaseLease('shop', 'run-9@m1'))).code).toBe(0);
      expect(host.state().swarm?.configs?.[LEASE]?.Labels['monarch.token']).toBe('run-1@m1');
      expect(host.run(call(releaseLease('shop', 'run-1@m1'))).code).toBe(0);
      expect(host.state().swarm?.configs?.[LEASE]).toBeUndefined();
      // Nothing to give back: still a success.
      expect(host.run(call(releaseLease('shop', 'run-1@m1'))).code).toBe(0);
    });

    it('the lock program gives the lease back when the lock on app-dir is released, or could not be taken', () => {
      const host = sandbox(shell, { services: [] });
      const layout = layoutOf(host.appDir, 'run-1');
      const lock = { ...claim(5), holder: 'hubot since' };
      const free = host.run(stackLockProgram(layout, { marker: null, seconds: 0 }, lock), '');
      expect(free.code).toBe(0);
      expect(free.stdout).toContain('monarch-ready');
      expect(host.state().swarm?.configs?.[LEASE]).toBeUndefined();
      host.update((state) => (state.flock = { free: false, freeAfterWait: false }));
      const busy = host.run(stackLockProgram(layout, { marker: null, seconds: 0 }, lock), '');
      expect(busy.code).toBe(EXIT.locked);
      expect(host.state().swarm?.configs?.[LEASE]).toBeUndefined();
    });
  });
});
