/** What a finished remote step of a deploy reports, in every mode. */
import type { HistoryEntry, HostResult, RunningImage, ServiceRollout } from '../types/report.js';

/** What a finished remote step reports. */
export interface StepReport {
  readonly images: RunningImage[];
  readonly history: HistoryEntry[];
  readonly removedImages: number;
  /** `mode: swarm`: the stack's services. */
  readonly stack?: HostResult['stack'];
  /** `mode: swarm`: the services a rollback put back. */
  readonly rolledBackServices?: readonly string[];
  /** Compose mode with start-first services: how each service was rolled. */
  readonly rollouts?: readonly ServiceRollout[];
  /** Start-first services whose new containers have no healthcheck. */
  readonly withoutHealthcheck?: readonly string[];
  /** `mode: swarm`: what `stack deploy` created and updated, and the services it removed. */
  readonly stackChanges?: Readonly<Record<'created' | 'updated' | 'removed', readonly string[]>>;
}

/** A report of nothing (before any step ran). */
export const EMPTY_REPORT: StepReport = { images: [], history: [], removedImages: 0 };

/** A host's result as its last step reported it, for a deploy that began at `startedMs`. */
export function hostResult(
  host: string,
  status: HostResult['status'],
  outcome: StepReport,
  startedMs: number,
): HostResult {
  return {
    host,
    status,
    rolledBack: false,
    images: outcome.images,
    history: outcome.history,
    durationMs: Date.now() - startedMs,
    ...(outcome.stack ? { stack: outcome.stack } : {}),
    ...(outcome.rolledBackServices ? { rolledBackServices: outcome.rolledBackServices } : {}),
    ...(outcome.rollouts ? { rollouts: outcome.rollouts } : {}),
  };
}
