/**
 * Moving a release onto the host: keep the running one for a rollback, log in and pull with the
 * staged files, put the staged files in place, start the containers, and report what runs.
 */
import { ShellCommand, sh } from '../shell/command.js';
import { DOCKER_CONFIG_DIR, inAppDir, projectFilters, type Layout } from './layout.js';
import { EXIT, replyKeys } from './protocol.js';
import { composeCall } from './prepare.js';
import { INSTALL_FILE, replaceFile, UNSAFE } from './safe-files.js';
import { hostScript, type HostScript } from './script.js';

/** The reply of `keepRelease` (and of the swarm's `snapshotStack`): `previous=yes`. */
export const KEEP_REPLIES = replyKeys({ previous: 'previous' });

/**
 * Makes sure the running release can be rolled back to: prints `previous=yes` when there is
 * one, and records the image each of its containers runs (`ref image-id` lines in
 * `rollbackImages`). Without a `project` (`mode: swarm`), it keeps the files alone and says
 * nothing: the stack's services say whether there is a previous release (`snapshotStack`). The action's own copy of that release (`releaseDir`) is what a rollback
 * restores; when there is none yet (app-dir was deployed by an older version, or by hand), it
 * is made from app-dir's `files`, refusing (`unsafePath`) any that is a link or not a file.
 */
export function keepRelease(
  layout: Layout,
  files: readonly string[],
  project: string | null,
): HostScript {
  const { appDir, releaseDir, stateDir } = layout;
  const previous = project === null ? sh`:` : sh`echo ${KEEP_REPLIES.previous}=yes`;
  const images =
    project === null
      ? sh`:`
      : sh`ids=$(${projectContainers(project, false)}) || ids=
${replaceFile(layout.rollbackImages, sh`[ -z "$ids" ] || docker inspect -f '{{.Config.Image}} {{.Image}}' $ids`)} || exit 1`;
  return hostScript(
    'monarch_keep_release',
    sh`${UNSAFE}
${INSTALL_FILE}
set -u
umask 077
cd ${appDir} || exit 1
if [ -d ${releaseDir} ] && [ ! -L ${releaseDir} ]; then
  ${previous}
elif [ -e docker-compose.yml ] || [ -L docker-compose.yml ]; then
  copy=$(mktemp -d ${`${inAppDir(layout, stateDir)}/.monarch-tmp.XXXXXX`}) || exit 1
  for f in ${files}; do
    path=.
    for part in $(printf '%s' "$f" | tr '/' ' '); do
      path="$path/$part"
      [ -L "$path" ] && { rm -rf -- "$copy"; unsafe "\${path#./} in app-dir is a symbolic link: the running release cannot be kept for a rollback"; }
    done
    [ -e "./$f" ] || continue
    [ -f "./$f" ] || { rm -rf -- "$copy"; unsafe "$f in app-dir is not a file"; }
    (copy_file "$f" "$copy/$f") || { status=$?; rm -rf -- "$copy"; exit $status; }
  done
  mv -T -- "$copy" ${releaseDir} || exit 1
  ${previous}
fi
${images}`,
  );
}

/**
 * Removes this run's docker config from the staging folder, keeping a copy in the state folder
 * first when `login.keep` (`registry-logout: false`).
 */
export function dropRunConfig(layout: Layout, login: PullLogin | null): ShellCommand {
  const config = `${layout.stagingDir}/${DOCKER_CONFIG_DIR}`;
  const keep = login?.keep
    ? sh`rm -rf -- ${layout.dockerConfigDir} && cp -Rp -- ${config} ${layout.dockerConfigDir}
`
    : sh``;
  return sh`${keep}rm -rf -- ${config}`;
}

/** How `pullImages` logs in: the registry, and whether the login stays on the host. */
export interface PullLogin {
  readonly server: string;
  /** Keep a copy of the run's docker config in the state folder (`registry-logout: false`). */
  readonly keep: boolean;
}

/** What a registry answers to a login it refuses, as the docker engine reports it: `case` patterns. */
export const REFUSED_LOGIN = new ShellCommand(
  [
    '*unauthorized*',
    '*"authentication required"*',
    '*"no basic auth credentials"*',
    '*"401 Unauthorized"*',
  ].join('|'),
);

/**
 * With `login`, points docker at this run's own docker config in the staging folder (its
 * login, mode 0600: no credential on a command line), the user's CLI plugins reachable
 * through a link.
 */
export function useRunConfig(layout: Layout, login: boolean): ShellCommand {
  const config = `${layout.stagingDir}/${DOCKER_CONFIG_DIR}`;
  return login
    ? sh`plugins="\${DOCKER_CONFIG:-\${HOME:-/root}/.docker}/cli-plugins"
export DOCKER_CONFIG=${config}
if [ -d "$plugins" ] && [ ! -e ${config}/cli-plugins ]; then ln -s "$plugins" ${config}/cli-plugins; fi`
    : sh`:`;
}

/**
 * Pulls the images of the staged release. With `login`, through this run's own docker config
 * (written beforehand into the staging folder, mode 0600: no credential on a command line);
 * the pull is the login's check (one exchange with the registry, not two): a refusal exits
 * `loginFailed` with its errors. The user's CLI plugins stay reachable through a link. The
 * run's docker config is removed afterwards.
 */
export function pullImages(
  layout: Layout,
  compose: ShellCommand,
  project: string,
  login: PullLogin | null,
): HostScript {
  const refused = login ? sh`${REFUSED_LOGIN}) status=${EXIT.loginFailed} ;;` : sh``;
  return hostScript(
    'monarch_pull_images',
    sh`umask 077
${useRunConfig(layout, login !== null)}
cd ${layout.stagingDir} || exit 1
status=0
if ! output=$(${composeCall(project, compose)} pull --quiet 2>&1 </dev/null); then
  printf '%s\n' "$output" | tail -n 20 >&2
  case $output in
    ${refused}
    *) status=1 ;;
  esac
fi
${dropRunConfig(layout, login)}
exit $status`,
  );
}

/**
 * Puts the staged `files` in place in app-dir, each copied to a fresh name and renamed over
 * its own (see safe-files.ts). The staging folder stays: it becomes the action's copy of the
 * release once the release is healthy (`commitRelease`).
 */
export function installRelease(layout: Layout, files: readonly string[]): HostScript {
  return hostScript(
    'monarch_install_release',
    sh`${UNSAFE}
${INSTALL_FILE}
cd ${layout.appDir} || exit 1
for f in ${files}; do check_target "$f"; done
for f in ${files}; do install_file ${inAppDir(layout, layout.stagingDir)} "$f"; done`,
  );
}

/** Keeps the staged release as the action's copy of the running one (for the next rollback). */
export function commitRelease(layout: Layout): HostScript {
  const old = `${layout.stateDir}/release.old`;
  return hostScript(
    'monarch_commit_release',
    sh`rm -rf -- ${old}
if [ -e ${layout.releaseDir} ] || [ -L ${layout.releaseDir} ]; then mv -T -- ${layout.releaseDir} ${old} || exit 1; fi
mv -T -- ${layout.stagingDir} ${layout.releaseDir} || exit 1
rm -rf -- ${old}`,
  );
}

/**
 * `compose up -d --remove-orphans` of the release's file in app-dir, as the project `project`
 * (see `composeCall`); its output only when it fails (exit `upFailed`).
 */
export function startContainers(
  layout: Layout,
  compose: ShellCommand,
  project: string,
): HostScript {
  return hostScript(
    'monarch_start_containers',
    sh`cd ${layout.appDir} || exit 1
if ! up_output=$(${composeCall(project, compose)} up -d --remove-orphans 2>&1 </dev/null); then
  printf '%s\n' "$up_output" >&2
  exit ${EXIT.upFailed}
fi`,
  );
}

/**
 * The project's service containers, by compose's own labels (one-off `run` containers left
 * out): docker answers from its state, not compose from app-dir's files, which a container
 * with a mount of app-dir may have replaced, and it is one fast call where compose is slow.
 */
export function projectContainers(project: string, all: boolean): ShellCommand {
  const [ofProject, notOneOff] = projectFilters(project);
  return sh`docker ps ${all ? sh`-a` : sh``} -q --no-trunc --filter ${ofProject} --filter ${notOneOff}`;
}

/**
 * Prints the IDs of the project's service containers, stopped ones included; the scripts after
 * it get them as arguments.
 */
export function listContainers(project: string): HostScript {
  return hostScript('monarch_list_containers', projectContainers(project, true));
}

/*
 * docker inspect templates name fields as the CLI's Go types do (`.ID`, `.Name`), never as the
 * JSON does (`.Id`): a template that fails on the types makes newer CLIs retry it on the raw
 * JSON, where a missing key such as `.State.Health` is an error rather than empty.
 */

/** The replies of `reportImages`. */
export const IMAGE_REPLIES = replyKeys({ container: 'container', digest: 'digest' });

/**
 * For the containers given as arguments, prints `container=<service> <ref> <image-id>`, and
 * `digest=<image-id> <repo@sha256:...>...` for their images: two docker calls in all.
 */
export function reportImages(): HostScript {
  return hostScript(
    'monarch_report_images',
    sh`[ $# -gt 0 ] || exit 0
containers=$(docker inspect -f ${`${IMAGE_REPLIES.container}={{index .Config.Labels "com.docker.compose.service"}} {{.Config.Image}} {{.Image}}`} "$@") || exit 1
printf '%s\n' "$containers"
docker image inspect -f ${`${IMAGE_REPLIES.digest}={{.ID}} {{range .RepoDigests}}{{.}} {{end}}`} $(printf '%s\n' "$containers" | awk '{print $NF}' | sort -u)`,
  );
}
