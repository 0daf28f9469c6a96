/**
 * The budgets a deploy's lock is held for, derived from the inputs in one place: a live run's
 * swarm-wide lease never counts as a dead run's, whatever the timeouts, in either mode.
 */
import { holdBudget, registryLoginSeconds, staleLeaseSeconds } from '../../src/deploy/deadlines.js';
import { modeOf } from '../../src/deploy/modes.js';
import { getInputs } from '../../src/inputs/index.js';
import type { Inputs } from '../../src/types/settings.js';
import { makeWorkspace, reader } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';

const key = makeKey('ed25519');
const STACK_COMPOSE = 'services:\n  web:\n    image: registry.example.com/app:v1\n';

function inputs(
  mode: 'compose' | 'swarm',
  times: Record<string, string>,
  host = 'droplet',
): Promise<Inputs> {
  return getInputs(
    reader({
      host,
      'ssh-private-key': key.privateKey,
      'host-fingerprint': key.fingerprint,
      ...(mode === 'swarm' ? { mode: 'swarm', stack: 'shop' } : {}),
      ...times,
    }),
    makeWorkspace({ 'docker-compose.yml': STACK_COMPOSE }),
  );
}

// [command-timeout, health-timeout, lock-timeout] in seconds; h > c + 60 among them.
const TABLE: [number, number, number][] = [
  [300, 120, 300],
  [60, 600, 300],
  [30, 3600, 0],
  [10, 0, 10],
  [1, 1, 1],
  [600, 5000, 60],
  [120, 181, 30],
];

describe.each(TABLE)('command-timeout %i s, health-timeout %i s, lock-timeout %i s', (c, h, l) => {
  const times = {
    'command-timeout': String(c),
    'health-timeout': String(h),
    'lock-timeout': String(l),
  };

  it.each(['compose', 'swarm'] as const)(
    '%s: a lease outlives the lock wait and the longest deploy',
    async (mode) => {
      const parsed = await inputs(mode, times);
      expect([parsed.commandTimeoutMs, parsed.healthTimeoutMs]).toEqual([c * 1000, h * 1000]);
      // The worst case, step by step: pull (c), start with its health gate (2c + h), then a
      // rollback (c, and it waits for what it put back: a stack's services, h or c when h is
      // 0; compose's containers, h) or the failure's record (c).
      const rollbackWait = mode === 'swarm' ? h || c : h;
      const longest = c + (2 * c + h) + Math.max(c + rollbackWait, c);
      // The figure for a swarm deploy's worst case: 5c + 2h.
      const figure = mode === 'swarm' ? 5 * c + 2 * h : 5 * c + h;
      const steps = modeOf(parsed).limits;
      expect(staleLeaseSeconds(parsed, steps)).toBeGreaterThan(l + Math.max(longest, figure));
      // The lock's own limit covers the same deploy: a live holder is never cut short.
      expect(holdBudget(parsed, steps) / 1000).toBeGreaterThan(Math.max(longest, figure));
      expect(holdBudget(parsed, steps)).toBeGreaterThan(
        steps.pull + steps.start + steps.rollback + steps.recordFailure,
      );
    },
  );
});

describe.each(TABLE)('registry credentials, command %i s, health %i s, lock %i s', (c, h, l) => {
  const times = {
    'command-timeout': String(c),
    'health-timeout': String(h),
    'lock-timeout': String(l),
    'setup-timeout': '60',
  };

  it.each(['compose', 'swarm'] as const)(
    '%s: outlive every host before the last, and the last up to the end of its start',
    async (mode) => {
      for (const hosts of mode === 'swarm' ? [1] : [1, 3]) {
        const parsed = await inputs(
          mode,
          times,
          Array.from({ length: hosts }, (_, i) => `d${i}`).join(','),
        );
        const { limits, locks } = modeOf(parsed);
        // Reaching the lock: connecting and the marker within setup-timeout, then each lock.
        const reach = parsed.setupTimeoutMs + locks * parsed.lockTimeoutMs;
        const wholeHost = reach + holdBudget(parsed, limits);
        const lastStartEnds = reach + limits.pull + limits.releaseCommand + limits.start;
        const needed = (hosts - 1) * wholeHost + lastStartEnds;
        const seconds = registryLoginSeconds(parsed);
        expect(seconds * 1000).toBeGreaterThanOrEqual(needed);
        // And not much longer: the five minutes' margin, and the other mode's longer waits.
        expect(seconds * 1000).toBeLessThanOrEqual(
          needed + 300_000 + hosts * (h + c + l) * 1000 + 1000,
        );
      }
    },
  );
});
