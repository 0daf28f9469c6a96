/**
 * Every value the main step saves for the post step (`GITHUB_STATE`; the runner hands them back
 * as `STATE_<name>`), with its writer and its reader. No other module names a state key.
 */
import * as core from '@actions/core';

const KEYS = {
  /** Set by the main step: the runner's second run of the bundle is the post step. */
  isPost: 'is-post',
  /**
   * One key per host (`leftover-<index in host>`): the staging folder main has not removed
   * (yet), or empty once it is gone. One small entry per change, so the state file grows with
   * the hosts, not with their square.
   */
  leftover: (index: number) => `leftover-${index}`,
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
  constructor(private readonly hosts: readonly string[]) {}

  /** `stagingDir` may be left on `host`, or (null) it is gone. */
  set(host: string, stagingDir: string | null): void {
    const index = this.hosts.indexOf(host);
    if (index < 0) throw new Error(`not a host of this run: ${host}`);
    core.saveState(KEYS.leftover(index), stagingDir ?? '');
  }
}

/** The staging folders main left on `hosts` (the same `host` input), by host, as saved. */
export function readLeftovers(hosts: readonly string[]): Record<string, string> {
  const byHost: Record<string, string> = {};
  hosts.forEach((host, index) => {
    const dir = core.getState(KEYS.leftover(index));
    if (dir) byHost[host] = dir;
  });
  return byHost;
}
