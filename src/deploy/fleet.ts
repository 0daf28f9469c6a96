/**
 * The order in which a run deploys its hosts: all at once (up to `max-parallel`), or `rolling`,
 * one at a time, stopping at the first failure and leaving the rest untouched (`skipped`).
 */
import type { HostResult } from '../types/report.js';
import type { Inputs } from '../types/settings.js';

/** How the hosts are scheduled. */
export type FleetPlan = Pick<Inputs, 'strategy' | 'maxParallel'>;

/** How many hosts deploy at once under `plan`. */
export function concurrency(plan: FleetPlan, hostCount: number): number {
  return plan.strategy === 'parallel' ? Math.max(1, Math.min(plan.maxParallel, hostCount)) : 1;
}

/** The result of a host a rolling deploy never reached. */
export function skippedHost(host: string): HostResult {
  return { host, status: 'skipped', rolledBack: false, images: [], history: [], durationMs: 0 };
}

/**
 * Deploys every host with `deployOne`, never more than `concurrency` at once, and returns the
 * results in the order of `hosts`. `deployOne` never throws: failures are in its result.
 */
export async function deployFleet(
  hosts: readonly string[],
  plan: FleetPlan,
  deployOne: (host: string) => Promise<HostResult>,
): Promise<HostResult[]> {
  const results: HostResult[] = new Array(hosts.length);
  let stopped = false;
  let next = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const index = next++;
      if (stopped) {
        results[index] = skippedHost(hosts[index]);
        continue;
      }
      results[index] = await deployOne(hosts[index]);
      if (plan.strategy === 'rolling' && results[index].status === 'failure') stopped = true;
    }
  };
  await Promise.all(Array.from({ length: concurrency(plan, hosts.length) }, worker));
  return results;
}
