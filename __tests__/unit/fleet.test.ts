/** The order and overlap of a fleet deploy: parallel (up to max-parallel) and rolling. */
import { concurrency, deployFleet, skippedHost } from '../../src/deploy/fleet.js';
import type { HostResult } from '../../src/types/report.js';

const HOSTS = ['a', 'b', 'c', 'd', 'e'];

/** A deploy that takes a tick, records the overlap, and fails the hosts in `failing`. */
function recorder(failing: string[] = []) {
  const started: string[] = [];
  let running = 0;
  let peak = 0;
  const deployOne = async (host: string): Promise<HostResult> => {
    started.push(host);
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running -= 1;
    const status = failing.includes(host) ? 'failure' : 'success';
    return { ...skippedHost(host), status };
  };
  return { deployOne, started, peak: () => peak };
}

describe('concurrency', () => {
  it.each([
    [{ strategy: 'parallel', maxParallel: Infinity }, 5, 5],
    [{ strategy: 'parallel', maxParallel: 2 }, 5, 2],
    [{ strategy: 'parallel', maxParallel: 10 }, 3, 3],
    [{ strategy: 'rolling', maxParallel: Infinity }, 5, 1],
    [{ strategy: 'parallel', maxParallel: Infinity }, 0, 1],
  ] as const)('%j with %d hosts: %d at once', (plan, hosts, expected) => {
    expect(concurrency(plan, hosts)).toBe(expected);
  });
});

describe('deployFleet', () => {
  it('parallel: every host at once, results in the order of the hosts', async () => {
    const fleet = recorder();
    const results = await deployFleet(
      HOSTS,
      { strategy: 'parallel', maxParallel: Infinity },
      fleet.deployOne,
    );
    expect(results.map((r) => r.host)).toEqual(HOSTS);
    expect(fleet.peak()).toBe(5);
  });

  it('parallel with max-parallel: never more at once, every host deployed even after a failure', async () => {
    const fleet = recorder(['b']);
    const results = await deployFleet(
      HOSTS,
      { strategy: 'parallel', maxParallel: 2 },
      fleet.deployOne,
    );
    expect(fleet.peak()).toBe(2);
    expect(results.map((r) => r.status)).toEqual([
      'success',
      'failure',
      'success',
      'success',
      'success',
    ]);
  });

  it('rolling: one at a time, in order, and the hosts after a failure are skipped untouched', async () => {
    const fleet = recorder(['c']);
    const results = await deployFleet(
      HOSTS,
      { strategy: 'rolling', maxParallel: Infinity },
      fleet.deployOne,
    );
    expect(fleet.peak()).toBe(1);
    expect(fleet.started).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => `${r.host}:${r.status}`)).toEqual([
      'a:success',
      'b:success',
      'c:failure',
      'd:skipped',
      'e:skipped',
    ]);
  });
});
