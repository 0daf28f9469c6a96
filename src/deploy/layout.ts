/** Where a deploy keeps things on the droplet, all under the app directory. */
import path from 'node:path/posix';

/** Paths on the host for one app directory. */
export interface Layout {
  readonly appDir: string;
  /** `.monarch/`, mode 0700: the action's own state. */
  readonly stateDir: string;
  /** New files land here first, then move into place with a rename. */
  readonly stagingDir: string;
  /** The release that was running when this deploy started: what a rollback restores. */
  readonly previousDir: string;
}

/** The layout under `appDir`. */
export function layoutOf(appDir: string): Layout {
  const stateDir = path.join(appDir, '.monarch');
  return {
    appDir,
    stateDir,
    stagingDir: path.join(stateDir, 'staging'),
    previousDir: path.join(stateDir, 'previous'),
  };
}
