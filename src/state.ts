/**
 * Every value the main step saves for the post step (`GITHUB_STATE`; the runner hands them back
 * as `STATE_<name>`), with its writer and its reader. No other module names a state key.
 */
import * as core from '@actions/core';

const KEYS = {
  /** Set by the main step: the runner's second run of the bundle is the post step. */
  isPost: 'is-post',
  /** JSON `{host: staging folder}` of the folders main has not removed (yet). */
  leftovers: 'leftovers',
} as const;

/** True in the post step (the main step ran before and said so). */
export function isPostStep(): boolean {
  return core.getState(KEYS.isPost) === 'true';
}

/** Marks that the main step ran, so the runner's next run of the bundle is the post step. */
export function markMainStep(): void {
  core.saveState(KEYS.isPost, 'true');
}

/**
 * Tracks, for the post step, each host's staging folder while it may hold this run's files and
 * registry credentials; every change is saved at once (a cancelled run saves nothing after).
 */
export class LeftoverTracker {
  private readonly byHost = new Map<string, string>();

  /** `stagingDir` may be left on `host`, or (null) it is gone. */
  set(host: string, stagingDir: string | null): void {
    if (stagingDir) this.byHost.set(host, stagingDir);
    else this.byHost.delete(host);
    core.saveState(KEYS.leftovers, JSON.stringify(Object.fromEntries(this.byHost)));
  }
}

/** The staging folders main left, by host, as saved; entries that are not strings are dropped. */
export function readLeftovers(): Record<string, string> {
  let saved: unknown;
  try {
    saved = JSON.parse(core.getState(KEYS.leftovers) || '{}');
  } catch {
    return {};
  }
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) return {};
  return Object.fromEntries(
    Object.entries(saved).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}
