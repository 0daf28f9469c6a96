/** `mode: compose` with start-first services: what the log says of how each service was rolled. */
import type { ServiceRollout } from '../types/report.js';
import type { RolloutPlan } from '../types/settings.js';

/** What a start by a rollout plan reported (see `stepReport`). */
export interface RolloutOutcome {
  readonly rollouts?: readonly ServiceRollout[];
  readonly withoutHealthcheck?: readonly string[];
}

/** How one service was rolled, in words: the log's line and the summary's cell. */
export function describeRollout(rollout: ServiceRollout): string {
  if (rollout.order === 'recreate') return 'up -d (recreated if it changed)';
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

/** What a deploy by `plan` would do, for the dry run: which services start-first, in order. */
export function describePlan(plan: RolloutPlan): string[] {
  const startFirst = plan.startFirst.map(
    (service) =>
      `${service.name} (${service.replicas} container${service.replicas === 1 ? '' : 's'}, old ones stopped with ${service.stopGraceSeconds} s of grace${service.healthcheck === true ? '' : "; no healthcheck in the compose file: the image's, if any, is the gate"})`,
  );
  return [
    `a deploy would roll start-first, in this order: ${startFirst.join(', ')}`,
    `a deploy would start by up -d (recreated if changed): ${plan.recreate.join(', ') || 'none'}`,
  ];
}
