/** The checks of a dry run, made outside app-dir, in a temporary folder removed after. */
import { sh, type ShellCommand } from '../remote/shell.js';
import type { Layout } from './layout.js';
import { DOCKER_CONFIG_DIR } from './release.js';
import { hostScript, type HostScript } from './script.js';

/** Where the dry run's temporary folders are made; nothing else there is ever removed. */
export const DRY_RUN_PREFIX = '/tmp/monarch-dry-run.';

/** Prints `app_dir=yes` when app-dir exists, and `tmp=<a new temporary folder>`. */
export function probeForDryRun(layout: Layout): HostScript {
  return hostScript(
    'monarch_probe_for_dry_run',
    sh`if [ -d ${layout.appDir} ]; then echo app_dir=yes; fi
echo "tmp=$(mktemp -d ${DRY_RUN_PREFIX}XXXXXX)"`,
  );
}

/**
 * In the temporary folder `tmp` (the release uploaded into `tmp/release`): runs the host's
 * `compose config` on the release (prints `compose_error=1` and its output when it fails) and,
 * with `server`, a bare `docker login` through the release's docker config (`login_error=1`,
 * its errors on stderr); removes `tmp`, and exits 1 if a check failed.
 */
export function checkRelease(
  tmp: string,
  compose: ShellCommand,
  project: string,
  server: string | null,
): HostScript {
  const release = `${tmp}/release`;
  const login = server
    ? sh`if ! DOCKER_CONFIG=${release}/${DOCKER_CONFIG_DIR} docker login ${server} </dev/null >/dev/null 2>${tmp}/login.err; then
  echo login_error=1; cat ${tmp}/login.err >&2; status=1
fi`
    : sh`:`;
  return hostScript(
    'monarch_check_release',
    sh`status=0
cd ${release} || exit 1
${compose} --project-name ${project} config --quiet </dev/null 2>&1 || { echo "compose_error=1"; status=1; }
${login}
cd / && rm -rf ${tmp}
exit $status`,
  );
}
