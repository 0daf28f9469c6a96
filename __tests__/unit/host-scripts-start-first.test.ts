/**
 * Compose mode's start-first rollout under real shells, against a stub docker: the new
 * containers start beside the old ones, the old ones are stopped (with their grace period)
 * only once the new ones pass the health gate, and a new container that fails it is removed
 * while the old ones are never touched.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkHealth } from '../../src/host-scripts/health.js';
import { layoutOf } from '../../src/host-scripts/layout.js';
import { composeHelper } from '../../src/host-scripts/prepare.js';
import { EXIT, readReplies } from '../../src/host-scripts/protocol.js';
import { program, step } from '../../src/host-scripts/script.js';
import {
  ROLLOUT_REPLIES,
  startByPlan,
  startByPlanHelpers,
} from '../../src/host-scripts/start-first.js';
import { COMPOSE } from '../../src/host-scripts/prepare.js';
import type { RolloutPlan } from '../../src/types/settings.js';
import {
  composeContainer,
  HostSandbox,
  stubImage,
  testShells,
  type StubContainer,
} from '../support/host-sandbox.js';

const v1 = stubImage('v1', ['registry.example.com/app:v1']);
const v2 = stubImage('v2', ['registry.example.com/app:v2']);
const PLAN: RolloutPlan = {
  startFirst: [{ name: 'web', replicas: 1, stopGraceSeconds: 7, healthcheck: null }],
  recreate: ['proxy'],
};

const oldWeb = composeContainer('monarch', 'web', v1, [{ Health: 'healthy' }]);
const proxy = composeContainer('monarch', 'proxy', v1, [{ Status: 'running' }]);
const newWeb = (states: StubContainer['states']): StubContainer => ({
  ...composeContainer('monarch', 'web', v2, states),
  ID: 'f'.repeat(64),
  Name: '/monarch-web-2',
  Config: {
    ...composeContainer('monarch', 'web', v2).Config,
    Healthcheck: { Test: ['CMD', 'wget', '-q', 'http://127.0.0.1/'] },
  },
});

function rollout(host: HostSandbox, plan: RolloutPlan = PLAN) {
  const layout = layoutOf(host.appDir, 'run-1');
  mkdirSync(host.appDir, { recursive: true });
  // Every compose call names the release's file (see composeCall): it is in app-dir.
  writeFileSync(path.join(host.appDir, 'docker-compose.yml'), 'services: {web: {}, proxy: {}}\n');
  return host.run(
    program(
      [step(startByPlan(layout, COMPOSE, 'monarch', plan), { orExit: true })],
      [composeHelper(), ...startByPlanHelpers(COMPOSE, 'monarch', checkHealth(10))],
    ),
  );
}

const ids = (host: HostSandbox) => host.state().containers.map((c) => c.ID);

describe.each(testShells())('start-first rollout under $name', (shell) => {
  it('starts the new container beside the old one, then stops and removes the old one', () => {
    const fresh = newWeb([{ Health: 'starting' }, { Health: 'healthy' }]);
    const host = new HostSandbox(
      shell,
      { containers: [oldWeb, proxy], images: [v1, v2], compose: { addOnUp: [fresh] } },
      { clock: true },
    );
    const run = rollout(host);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const replies = readReplies(run.stdout, ROLLOUT_REPLIES);
    expect(replies.all(ROLLOUT_REPLIES.rolled)).toEqual([
      'proxy recreate',
      expect.stringMatching(/^web start-first \d+$/),
    ]);
    expect(replies.all(ROLLOUT_REPLIES.noHealthcheck)).toEqual([]);
    const ups = host.callsOf('docker', 'compose').map((argv) => argv.slice(2));
    expect(ups).toEqual([
      [
        '--file',
        'docker-compose.yml',
        '--project-name',
        'monarch',
        'up',
        '-d',
        '--no-deps',
        '--remove-orphans',
        'proxy',
      ],
      [
        '--file',
        'docker-compose.yml',
        '--project-name',
        'monarch',
        'up',
        '-d',
        '--no-deps',
        '--no-recreate',
        '--scale',
        'web=2',
        'web',
      ],
    ]);
    // Stopped with its grace period, only after the new one's health was read as healthy.
    const argvs = host.calls().map((c) => c.argv);
    const stop = argvs.findIndex((a) => a[1] === 'stop');
    expect(argvs[stop]).toEqual(['docker', 'stop', '-t', '7', oldWeb.ID]);
    const lastInspect = argvs
      .map((a, i) => (a[1] === 'inspect' ? i : -1))
      .filter((i) => i >= 0)
      .pop()!;
    expect(lastInspect).toBeLessThan(stop);
    expect(ids(host)).toEqual([proxy.ID, fresh.ID]);
  });

  it('a new container that fails the gate is removed; the old one is never stopped', () => {
    const broken = newWeb([{ Health: 'starting' }, { Health: 'unhealthy' }]);
    const host = new HostSandbox(
      shell,
      { containers: [oldWeb, proxy], images: [v1, v2], compose: { addOnUp: [broken] } },
      { clock: true },
    );
    const run = rollout(host);
    expect(run.code).toBe(EXIT.unhealthy);
    expect(run.stderr).toContain('service web is running (unhealthy)');
    expect(run.stderr).toContain(
      'start-first service web: its new containers were removed; the old ones kept serving',
    );
    expect(host.callsOf('docker', 'stop')).toEqual([]);
    expect(host.callsOf('docker', 'rm')).toEqual([['docker', 'rm', '-f', broken.ID]]);
    expect(ids(host)).toEqual([oldWeb.ID, proxy.ID]);
  });

  it('with nothing running yet, starts the service at its scale; says when it has no healthcheck', () => {
    const first = {
      ...newWeb([{ Status: 'running' }]),
      Config: composeContainer('monarch', 'web', v2).Config,
    };
    const host = new HostSandbox(
      shell,
      { containers: [], images: [v2], compose: { addOnUp: [first] } },
      { clock: true },
    );
    const plan: RolloutPlan = {
      startFirst: [{ ...PLAN.startFirst[0], replicas: 3 }],
      recreate: [],
    };
    const run = rollout(host, plan);
    expect(run.code).toBe(0);
    expect(readReplies(run.stdout, ROLLOUT_REPLIES).all(ROLLOUT_REPLIES.rolled)).toEqual([
      'web start-first first',
    ]);
    expect(host.callsOf('docker', 'compose').map((argv) => argv.slice(6))).toEqual([
      ['up', '-d', '--no-deps', '--scale', 'web=3', 'web'],
    ]);
  });

  it('warns of a start-first service whose new containers have no healthcheck', () => {
    const bare = {
      ...newWeb([{ Status: 'running' }]),
      Config: composeContainer('monarch', 'web', v2).Config,
    };
    const host = new HostSandbox(
      shell,
      { containers: [oldWeb], images: [v1, v2], compose: { addOnUp: [bare] } },
      { clock: true },
    );
    const run = rollout(host, { ...PLAN, recreate: [] });
    expect(run.code).toBe(0);
    expect(readReplies(run.stdout, ROLLOUT_REPLIES).all(ROLLOUT_REPLIES.noHealthcheck)).toEqual([
      'web',
    ]);
    expect(ids(host)).toEqual([bare.ID]);
  });
});
