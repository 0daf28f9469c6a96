/**
 * The convergence verdict of `waitForStack` (an awk program), under the awks a droplet may
 * have: mawk (Debian's), and busybox awk (Alpine's) when busybox is installed.
 */
import { spawnSync } from 'node:child_process';
import { STACK_VERDICT } from '../../src/host-scripts/swarm-converge.js';

const AWKS: { name: string; argv: string[] }[] = [
  { name: 'mawk', argv: ['/usr/bin/mawk'] },
  { name: 'busybox awk', argv: ['/bin/busybox', 'awk'] },
].filter((awk) => spawnSync(awk.argv[0], [...awk.argv.slice(1), 'BEGIN{}']).status === 0);

interface Swarm {
  /** Waiting for a rollback (`MONARCH_ROLLBACK=1`). */
  rollback?: boolean;
  /** Services that update start-first with a host-mode port. */
  startFirst?: string[];
  want: string[];
  replicas: string[];
  states: string[];
  tasks: string[];
}

function verdict(awk: string[], swarm: Swarm): string[] {
  const run = spawnSync(awk[0], [...awk.slice(1), STACK_VERDICT.text], {
    env: {
      MONARCH_WANT: swarm.want.join(' '),
      MONARCH_ROLLBACK: swarm.rollback ? '1' : '0',
      MONARCH_START_FIRST: (swarm.startFirst ?? []).join(' '),
      MONARCH_REPLICAS: swarm.replicas.join('\n'),
      MONARCH_STATES: swarm.states.join('\n'),
      MONARCH_TASKS: swarm.tasks.join('\n'),
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim().split('\n');
}

const running = (task: string, node: string) => `${task}|Running 3 seconds ago|${node}|`;

const CASES: { name: string; swarm: Swarm; expect: string[] }[] = [
  {
    name: 'every service runs its desired replicas of the new spec, update completed',
    swarm: {
      want: ['app_web', 'app_worker'],
      replicas: ['app_web 2/2', 'app_worker 1/1'],
      states: ['app_web completed|update completed', 'app_worker none|'],
      tasks: [
        running('app_web.1', 'node2'),
        running('app_web.2', 'node3'),
        running('app_worker.1', 'node2'),
      ],
    },
    expect: ['ok app_web', 'ok app_worker'],
  },
  {
    name: 'an update still rolling: waits, saying where it is',
    swarm: {
      want: ['app_web'],
      replicas: ['app_web 2/2'],
      states: ['app_web updating|update in progress'],
      tasks: [running('app_web.1', 'node2'), 'app_web.2|Starting 1 second ago|node3|'],
    },
    expect: [
      'wait app_web 1/2 tasks of its current spec running, updating; task app_web.2 on node3: Starting 1 second ago',
    ],
  },
  {
    name: 'the old spec still runs (the update has not begun): not converged',
    swarm: {
      want: ['app_web'],
      replicas: ['app_web 2/2'],
      states: ['app_web completed|update completed'],
      tasks: [],
    },
    expect: ['wait app_web 0/2 tasks of its current spec running'],
  },
  {
    name: 'a paused update fails at once, with its message and the task errors',
    swarm: {
      want: ['app_web'],
      replicas: ['app_web 1/2'],
      states: ['app_web paused|update paused due to failure or early termination of task abc'],
      tasks: ['app_web.2|Failed 2 seconds ago|node3|task: non-zero exit (1)'],
    },
    expect: [
      'fail app_web Swarm paused its update: update paused due to failure or early termination of task abc; task app_web.2 on node3: Failed 2 seconds ago (task: non-zero exit (1))',
    ],
  },
  {
    name: 'an update Swarm rolled back itself (failure_action: rollback) fails',
    swarm: {
      want: ['app_web'],
      replicas: ['app_web 2/2'],
      states: ['app_web rollback_completed|rollback completed'],
      tasks: [],
    },
    expect: ['fail app_web Swarm rolled its update back (rollback_completed): rollback completed'],
  },
  {
    name: 'a task no node can take for its host-mode port is flagged, for a start-first service',
    swarm: {
      startFirst: ['app_web'],
      want: ['app_web'],
      replicas: ['app_web 2/2'],
      states: ['app_web updating|update in progress'],
      tasks: [
        'app_web.1|Pending 4 seconds ago||no suitable node (host-mode port already in use on 2 nodes)',
        running('app_web.2', 'node3'),
      ],
    },
    expect: [
      'port app_web no suitable node (host-mode port already in use on 2 nodes)',
      'wait app_web 1/2 tasks of its current spec running, updating; task app_web.1: Pending 4 seconds ago (no suitable node (host-mode port already in use on 2 nodes))',
    ],
  },
  {
    name: 'a task no node can take for its host-mode port is waited for, for a stop-first one (the old task may still be stopping)',
    swarm: {
      want: ['app_web'],
      replicas: ['app_web 2/2'],
      states: ['app_web updating|update in progress'],
      tasks: [
        'app_web.1|Pending 4 seconds ago||no suitable node (host-mode port already in use on 2 nodes)',
        running('app_web.2', 'node3'),
      ],
    },
    expect: [
      'wait app_web 1/2 tasks of its current spec running, updating; task app_web.1: Pending 4 seconds ago (no suitable node (host-mode port already in use on 2 nodes))',
    ],
  },
  {
    name: 'a global service (one task per node) and a task name with a node ID',
    swarm: {
      want: ['app_agent'],
      replicas: ['app_agent 3/3'],
      states: ['app_agent none|'],
      tasks: ['n1', 'n2', 'n3'].map((n) => running(`app_agent.${n}xyz`, n)),
    },
    expect: ['ok app_agent'],
  },
  {
    name: 'max replicas per node, as service ls shows it, and an error with a bar in it',
    swarm: {
      want: ['app_web'],
      replicas: ['app_web 1/2 (max 1 per node)'],
      states: ['app_web none|'],
      tasks: [
        running('app_web.1', 'node2'),
        'app_web.2|Pending 1 second ago||no suitable node (a|b)',
      ],
    },
    expect: [
      'wait app_web 1/2 tasks of its current spec running; task app_web.2: Pending 1 second ago (no suitable node (a|b))',
    ],
  },
  {
    name: 'waiting for a rollback: one just asked for still reads paused, and is waited for',
    swarm: {
      rollback: true,
      want: ['app_web', 'app_worker'],
      replicas: ['app_web 1/2', 'app_worker 1/1'],
      states: [
        'app_web paused|update paused due to failure',
        'app_worker completed|update completed',
      ],
      tasks: [running('app_web.1', 'node2'), running('app_worker.1', 'node2')],
    },
    expect: [
      'wait app_web 1/2 tasks of its current spec running, paused',
      'wait app_worker 1/1 tasks of its current spec running, completed',
    ],
  },
  {
    name: 'waiting for a rollback: rollback_started waits, rollback_completed is the end',
    swarm: {
      rollback: true,
      want: ['app_web', 'app_worker'],
      replicas: ['app_web 2/2', 'app_worker 1/1'],
      states: [
        'app_web rollback_started|manually requested rollback',
        'app_worker rollback_completed|rollback completed',
      ],
      tasks: [
        running('app_web.1', 'node2'),
        running('app_web.2', 'node3'),
        running('app_worker.1', 'node2'),
      ],
    },
    expect: [
      'wait app_web 2/2 tasks of its current spec running, rollback_started',
      'ok app_worker',
    ],
  },
  {
    name: 'waiting for a rollback: a paused rollback fails',
    swarm: {
      rollback: true,
      want: ['app_web'],
      replicas: ['app_web 1/2'],
      states: ['app_web rollback_paused|update paused due to failure'],
      tasks: [],
    },
    expect: ['fail app_web Swarm paused its rollback: update paused due to failure'],
  },
  {
    name: 'scaled to zero converges',
    swarm: { want: ['app_web'], replicas: ['app_web 0/0'], states: ['app_web none|'], tasks: [] },
    expect: ['ok app_web'],
  },
];

describe.each(AWKS)('the stack verdict under $name', ({ argv }) => {
  test.each(CASES)('$name', ({ swarm, expect: expected }) => {
    expect(verdict(argv, swarm)).toEqual(expected);
  });
});
