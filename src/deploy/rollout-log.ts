/** `mode: compose` with start-first services: what the log says of how each service was rolled. */
import type { ServiceRollout } from '../types/report.js';

/** What a start by a rollout plan reported (see `stepReport`). */
export interface RolloutOutcome {
  readonly rollouts?: readonly ServiceRollout[];
  readonly withoutHealthcheck?: readonly string[];
}

/** How one service was rolled, in words: the log's line and the summary's cell. */
export function describeRollout(rollout: ServiceRollout): string {
  if (rollout.order === 'recreate') return 'recreated (up -d)';
  if (rollout.overlapSeconds === null) return 'start-first (first start: nothing to overlap)';
  return `start-first: old and new ran side by side for ${rollout.overlapSeconds} s`;
}

/** One line per service, and a warning for each start-first service without a healthcheck. */
export function logRollouts(
  outcome: RolloutOutcome,
  log: { info(text: string): void; warning(text: string): void },
): void {
  for (const service of outcome.withoutHealthcheck ?? []) {
    log.warning(
      `${service} is start-first but its containers have no healthcheck: its old containers were stopped once the new ones had run for a second; start-first is only as safe as its healthcheck`,
    );
  }
  for (const rollout of outcome.rollouts ?? [])
    log.info(`${rollout.service}: ${describeRollout(rollout)}`);
}
