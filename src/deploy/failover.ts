/**
 * `mode: swarm`: the hosts are managers of one swarm, and the stack is deployed once, through
 * the first that takes it. A manager that cannot be reached, or is no longer a manager, is
 * passed over for the next (nothing was changed on it); any other failure ends the run there.
 */
import type { HostResult } from '../types/report.js';

/** Connection attempts on a manager that is not the last one: then the next one is tried. */
export const FAILOVER_CONNECT_MS = 30_000;

/**
 * Deploys through the first manager that takes the deploy; `deployOne` is told whether the
 * manager is the last (its connection attempts may then use all of `setup-timeout`). Returns
 * that manager's result, or, when none took it, every manager's.
 */
export async function deployThroughManagers(
  managers: readonly string[],
  deployOne: (host: string, last: boolean) => Promise<HostResult>,
  warn: (message: string) => void,
): Promise<HostResult[]> {
  const passedOver: HostResult[] = [];
  for (const [index, host] of managers.entries()) {
    const next = managers[index + 1];
    const result = await deployOne(host, next === undefined);
    if (result.status === 'success' || !result.untouched || next === undefined) {
      return result.status === 'success' ? [result] : [...passedOver, result];
    }
    warn(
      `manager ${host} did not take the deploy (${result.error ?? 'no reason given'}); trying ${next}`,
    );
    passedOver.push(result);
  }
  return passedOver;
}
