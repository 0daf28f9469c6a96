/**
 * Moving a release onto the host: keep the running one for a rollback, log in and pull with the
 * staged files, put the staged files in place, start the containers, and report what runs.
 */
import { sh, type ShellCommand } from '../remote/shell.js';
import type { Layout } from './layout.js';
import { EXIT } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

/** This run's docker config (its registry login) inside the staging folder. */
export const DOCKER_CONFIG_DIR = 'docker-config';

/**
 * Copies the running release's `files` (names relative to app-dir) and the image each of its
 * containers runs (`ref image-id` lines in `previous/images`) into the previous folder, for a
 * rollback; prints `previous=yes` when there is a running release (a compose file in app-dir).
 */
export function keepPrevious(
  layout: Layout,
  files: readonly string[],
  compose: ShellCommand,
): HostScript {
  const previous = layout.previousDir;
  return hostScript(
    'monarch_keep_previous',
    sh`set -u
umask 077
cd ${layout.appDir} || exit 1
rm -rf ${previous} && mkdir ${previous} || exit 1
[ -e docker-compose.yml ] || exit 0
for f in ${files}; do
  if [ -e "$f" ]; then mkdir -p ${previous}/"$(dirname "$f")" && cp -p "$f" ${previous}/"$f"; fi
done
ids=$(${compose} ps -q 2>/dev/null </dev/null) || ids=
if [ -n "$ids" ]; then docker inspect -f '{{.Config.Image}} {{.Image}}' $ids >${previous}/images; fi
echo previous=yes`,
  );
}

/** How `pullImages` logs in: the registry, and whether the login stays on the host. */
export interface PullLogin {
  readonly server: string;
  /** Keep a copy of the run's docker config in the state folder (`registry-logout: false`). */
  readonly keep: boolean;
}

/**
 * Pulls the images of the staged release. With `login`, through this run's own docker config
 * (written beforehand into the staging folder, mode 0600: no credential on a command line),
 * checked first with a bare `docker login` (exit `loginFailed` with its errors); the user's CLI
 * plugins stay reachable through a link. The run's docker config is removed afterwards.
 */
export function pullImages(
  layout: Layout,
  compose: ShellCommand,
  project: string,
  login: PullLogin | null,
): HostScript {
  const config = `${layout.stagingDir}/${DOCKER_CONFIG_DIR}`;
  const useConfig = login
    ? sh`plugins="\${DOCKER_CONFIG:-\${HOME:-/root}/.docker}/cli-plugins"
export DOCKER_CONFIG=${config}
if [ -d "$plugins" ]; then ln -s "$plugins" ${config}/cli-plugins; fi
if ! login_errors=$(docker login ${login.server} 2>&1 </dev/null >/dev/null); then
  printf '%s\n' "$login_errors" >&2
  rm -rf ${config}
  exit ${EXIT.loginFailed}
fi`
    : sh`:`;
  const keep = login?.keep
    ? sh`rm -rf ${layout.dockerConfigDir} && cp -Rp ${config} ${layout.dockerConfigDir}`
    : sh`:`;
  return hostScript(
    'monarch_pull_images',
    sh`umask 077
${useConfig}
cd ${layout.stagingDir} || exit 1
${compose} --project-name ${project} pull --quiet </dev/null
status=$?
${keep}
rm -rf ${config}
exit $status`,
  );
}

/** Moves the staged `files` into app-dir (each with a rename) and removes the staging folder. */
export function installRelease(layout: Layout, files: readonly string[]): HostScript {
  return hostScript(
    'monarch_install_release',
    sh`cd ${layout.appDir} || exit 1
for f in ${files}; do
  mkdir -p "$(dirname "$f")" && mv -f ${layout.stagingDir}/"$f" "$f" || exit 1
done
rm -rf ${layout.stagingDir}`,
  );
}

/** `compose up -d --remove-orphans` in app-dir; its output only when it fails (exit `upFailed`). */
export function startContainers(layout: Layout, compose: ShellCommand): HostScript {
  return hostScript(
    'monarch_start_containers',
    sh`cd ${layout.appDir} || exit 1
if ! up_output=$(${compose} up -d --remove-orphans 2>&1 </dev/null); then
  printf '%s\n' "$up_output" >&2
  exit ${EXIT.upFailed}
fi`,
  );
}

/**
 * Prints the IDs of the project's service containers, stopped ones included (compose v2's `ps`
 * lists only running ones without `-a`), one-off `run` containers left out. Compose is slow to
 * start: it is asked once, and the IDs are handed to the scripts after it as arguments.
 */
export function listContainers(layout: Layout, compose: ShellCommand): HostScript {
  return hostScript(
    'monarch_list_containers',
    sh`cd ${layout.appDir} || exit 1
ids=$(${compose} ps -a -q </dev/null)
[ -n "$ids" ] || exit 0
docker inspect -f '{{.ID}} {{index .Config.Labels "com.docker.compose.oneoff"}}' $ids | awk '$2 != "True" { print $1 }'`,
  );
}

/*
 * docker inspect templates name fields as the CLI's Go types do (`.ID`, `.Name`), never as the
 * JSON does (`.Id`): a template that fails on the types makes newer CLIs retry it on the raw
 * JSON, where a missing key such as `.State.Health` is an error rather than empty.
 */

/**
 * For the containers given as arguments, prints `container=<service> <ref> <image-id>`, and
 * `digest=<image-id> <repo@sha256:...>...` for their images: two docker calls in all.
 */
export function reportImages(): HostScript {
  return hostScript(
    'monarch_report_images',
    sh`[ $# -gt 0 ] || exit 0
docker inspect -f 'container={{index .Config.Labels "com.docker.compose.service"}} {{.Config.Image}} {{.Image}}' "$@"
docker image inspect -f 'digest={{.ID}} {{range .RepoDigests}}{{.}} {{end}}' $(docker inspect -f '{{.Image}}' "$@" | sort -u)`,
  );
}
