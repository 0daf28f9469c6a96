/** The health gate after `up`, under real shells, against a stub docker whose containers change. */
import { checkHealth, HEALTH_REPLIES } from '../../src/host-scripts/health.js';
import { EXIT, readReplies } from '../../src/host-scripts/protocol.js';
import { call } from '../../src/host-scripts/script.js';
import {
  composeContainer,
  HostSandbox,
  stubImage,
  testShells,
  type StubContainer,
} from '../support/host-sandbox.js';

const image = stubImage('v2', ['registry.example.com/app:v2']);
const container = (service: string, states: StubContainer['states'], logs: string[] = []) =>
  composeContainer('monarch', service, image, states, { logs });

interface Case {
  readonly name: string;
  readonly containers: StubContainer[];
  readonly code: number;
  /** `healthy_after` when it passes; a part of stderr when it fails. */
  readonly expect: string;
  readonly sleeps?: number;
}

const CASES: Case[] = [
  {
    name: 'healthy at once',
    containers: [container('web', [{ Health: 'healthy' }])],
    code: 0,
    expect: '0',
    sleeps: 0,
  },
  {
    name: 'starting, then healthy',
    containers: [
      container('web', [{ Health: 'starting' }, { Health: 'starting' }, { Health: 'healthy' }]),
    ],
    code: 0,
    expect: '2',
    sleeps: 2,
  },
  {
    name: 'running without a healthcheck, at two checks a second apart',
    containers: [container('web', [{ Status: 'running' }])],
    code: 0,
    expect: '1',
    sleeps: 1,
  },
  {
    name: 'running without a healthcheck since before the previous second (not recreated): no wait',
    containers: [container('web', [{ Status: 'running', StartedAt: '2026-12-01T08:00:00.5Z' }])],
    code: 0,
    expect: '0',
    sleeps: 0,
  },
  {
    name: 'running since long ago beside one just started: the new one is waited for',
    containers: [
      container('db', [{ Status: 'running', StartedAt: '2026-12-01T08:00:00Z' }]),
      container('web', [{ Status: 'running' }]),
    ],
    code: 0,
    expect: '1',
    sleeps: 1,
  },
  {
    name: 'a one-shot task that exited 0, beside a healthy service',
    containers: [
      container('migrate', [{ Status: 'exited', ExitCode: 0 }]),
      container('web', [{ Health: 'healthy' }]),
    ],
    code: 0,
    expect: '0',
  },
  {
    name: 'restarting (a crash loop)',
    containers: [
      container('web', [{ Status: 'restarting', RestartCount: 1 }], ['boot', 'panic: no database']),
    ],
    code: EXIT.unhealthy,
    expect: 'service web is restarting (none); its last log lines:\n  boot\n  panic: no database',
  },
  {
    name: 'restarted between two checks while running',
    containers: [container('web', [{ RestartCount: 0 }, { RestartCount: 2 }])],
    code: EXIT.unhealthy,
    expect: 'service web restarted 2 times (crash loop?)',
  },
  {
    name: 'exited with an error',
    containers: [container('web', [{ Status: 'exited', ExitCode: 3 }], ['fatal: bad config'])],
    code: EXIT.unhealthy,
    expect: 'service web exited with code 3; its last log lines:\n  fatal: bad config',
  },
  {
    name: 'unhealthy',
    containers: [container('web', [{ Health: 'starting' }, { Health: 'unhealthy' }])],
    code: EXIT.unhealthy,
    expect: 'service web is running (unhealthy)',
  },
  {
    name: 'never healthy within its seconds',
    containers: [container('web', [{ Health: 'starting' }])],
    code: EXIT.healthTimeout,
    expect: '',
    sleeps: 3,
  },
  {
    name: 'no container at all',
    containers: [],
    code: EXIT.unhealthy,
    expect: 'no container of the project is running',
  },
];

describe.each(testShells())('checkHealth under $name sh', (shell) => {
  it.each(CASES)('$name', ({ containers, code, expect: expected, sleeps }) => {
    const host = new HostSandbox(shell, { containers, images: [image] });
    const run = host.run(
      call(
        checkHealth(3),
        containers.map((c) => c.ID),
      ),
    );
    expect(run.code).toBe(code);
    if (code === 0)
      expect(readReplies(run.stdout, HEALTH_REPLIES).get(HEALTH_REPLIES.healthyAfter)).toBe(
        expected,
      );
    else expect(run.stderr).toContain(expected);
    if (sleeps !== undefined) expect(host.callsOf('sleep')).toHaveLength(sleeps);
  });

  it('asks docker once per round for every container, whatever their number', () => {
    const containers = ['web', 'worker', 'cron'].map((s) => container(s, [{ Health: 'healthy' }]));
    const host = new HostSandbox(shell, { containers, images: [image] });
    host.run(
      call(
        checkHealth(3),
        containers.map((c) => c.ID),
      ),
    );
    expect(host.callsOf('docker', 'inspect')).toHaveLength(1);
  });
});
