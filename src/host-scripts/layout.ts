/** Where a deploy keeps things on the droplet, all under the app directory. */
import path from 'node:path/posix';

/** Paths on the host for one app directory and one run. */
export interface Layout {
  readonly appDir: string;
  /** `.monarch/`, mode 0700, owned by the SSH user: the action's own state. */
  readonly stateDir: string;
  /** This run's new files land here first (a name of its own: no lock needed to upload). */
  readonly stagingDir: string;
  /**
   * The running release as the action installed it: what a rollback restores. The action's own
   * copy, never read back from app-dir (where a container may have changed or replaced a file).
   */
  readonly releaseDir: string;
  /** `ref image-id` of each container that ran when this deploy started: what a rollback re-tags. */
  readonly rollbackImages: string;
  /** Held with flock for the whole deploy, so two runs never interleave. */
  readonly lockFile: string;
  /** Who holds the lock, since when. */
  readonly lockInfo: string;
  /** One JSON line per deploy. */
  readonly historyFile: string;
  /** Where the registry login stays with `registry-logout: false` (mode 0700). */
  readonly dockerConfigDir: string;
  /** The one-off container of this run's release command (found by it to be removed). */
  readonly releaseContainer: string;
}

/** `dir` (a folder of `layout`) relative to app-dir, for the scripts that work from app-dir. */
export function inAppDir(layout: Layout, dir: string): string {
  return path.relative(layout.appDir, dir);
}

/** The layout under `appDir` for the run `runId` (letters, digits, `-`). */
export function layoutOf(appDir: string, runId: string): Layout {
  const stateDir = path.join(appDir, '.monarch');
  return {
    appDir,
    stateDir,
    stagingDir: path.join(stateDir, `${STAGING_PREFIX}${runId}`),
    releaseDir: path.join(stateDir, 'release'),
    rollbackImages: path.join(stateDir, 'rollback-images'),
    lockFile: path.join(stateDir, 'lock'),
    lockInfo: path.join(stateDir, 'lock.info'),
    historyFile: path.join(stateDir, 'history.log'),
    dockerConfigDir: path.join(stateDir, 'docker-config'),
    releaseContainer: `monarch-release-${runId}`,
  };
}

/** The start of every run's staging folder's name in the state folder (`staging-<run>`). */
export const STAGING_PREFIX = 'staging-';

/** The rendered stack file (`mode: swarm`), in the staging folder and in app-dir (a `.monarch` name). */
export const STACK_FILE = '.monarch-stack.yml';

/**
 * The stack's images, one per line, beside it: an image's name may hold `env` values (a tag, a
 * registry), so the scripts read it from this file, never from their command line.
 */
export const STACK_IMAGES = '.monarch-stack-images';

/**
 * This run's docker config (its registry login) inside the staging folder: a `.monarch` name,
 * which no `files` entry may have, so it never meets one of the release's files.
 */
export const DOCKER_CONFIG_DIR = '.monarch-docker-config';

/**
 * The docker filters for the service containers of the compose `project`, by compose's own
 * labels (one-off `run` containers left out).
 */
export function projectFilters(project: string): string[] {
  return [`label=com.docker.compose.project=${project}`, 'label=com.docker.compose.oneoff=False'];
}

/** The docker filter for the services of `stack` (Swarm labels each with its stack's name). */
export function stackFilter(stack: string): string {
  return `label=com.docker.stack.namespace=${stack}`;
}
