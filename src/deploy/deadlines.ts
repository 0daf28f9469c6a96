/** How long the steps of a deploy may take, derived from the inputs. */
import type { Inputs } from '../types/settings.js';

/** The limit for the lock holder: the whole deploy's worst case, so a stuck one cannot hold forever. */
export function holdBudget(inputs: Inputs): number {
  const release = inputs.releaseCommand ? inputs.releaseCommand.timeoutMs + 60_000 : 0;
  return 6 * inputs.commandTimeoutMs + inputs.healthTimeoutMs + 60_000 + release;
}

/**
 * How long a stack's rollback waits for the services it put back: `health-timeout`, or, when
 * that is 0 (and the deploy failed at `stack deploy` itself), `command-timeout`.
 */
export function stackRollbackWaitMs(inputs: Inputs): number {
  return inputs.healthTimeoutMs || inputs.commandTimeoutMs;
}
