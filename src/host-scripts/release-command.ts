/**
 * The release command on the host: one `compose run --rm --no-deps` of the staged release (its
 * compose file, `.env` and `files`, in the staging folder, under the project's name, so its
 * named volumes and networks are the project's), after the pull and before anything in app-dir
 * changes. Its words come on the standard input (never on a command line the host's process
 * list shows), sh-quoted by the runner; its output goes to standard error, so nothing it prints
 * can pass for a reply.
 */
import { lines, sh, ShellCommand } from '../shell/command.js';
import type { Layout } from './layout.js';
import { composeHelper } from './prepare.js';
import type { ReleaseTarget } from './programs.js';
import { TIMED_OUT } from '../shell/timed.js';
import { EXIT, replyKeys } from './protocol.js';
import { hostScript, program, step, type HostScript } from './script.js';

/** Seconds the host's `timeout` waits after TERM before it KILLs the command. */
const KILL_AFTER_SECONDS = 5;

/**
 * Seconds the program needs beyond the command's own timeout: the KILL after TERM, and
 * removing the container (the remote command's timeout is the command's plus this).
 */
export const RELEASE_CLEANUP_SECONDS = KILL_AFTER_SECONDS + 25;

/** What the release command's program runs. */
export interface ReleaseCommandRun {
  /** The compose service whose image and settings it runs with. */
  readonly service: string;
  /** Seconds before it is stopped. */
  readonly seconds: number;
}

/** The reply that carries the command's exit status when it failed: `release_status=<n>`. */
export const RELEASE_COMMAND_REPLIES = replyKeys({ status: 'release_status' });

/**
 * Reads the command's words (sh-quoted words on standard input), runs them in a one-off
 * container of `service` named `layout.releaseContainer`, under `timeout`; the container is
 * removed on every way out. Exits 0, `releaseCommandFailed` (printing `release_status=<n>`)
 * or `releaseCommandTimedOut`.
 */
export function runReleaseCommand(
  layout: Layout,
  project: string,
  run: ReleaseCommandRun,
): HostScript {
  const container = layout.releaseContainer;
  // The compose helper is a shell function, which timeout(1) cannot run: the command under
  // timeout is a shell of its own that defines it.
  const inner = lines([
    composeHelper().definition,
    sh`monarch_compose --project-name ${project} run --rm --no-deps -T --name ${container} ${run.service} "$@"`,
  ]);
  return hostScript(
    'monarch_run_release_command',
    sh`words=$(cat) || exit 1
# The words are the runner's, each quoted as one shell word: eval only undoes that quoting.
eval "set -- $words"
cd ${layout.stagingDir} || exit 1
status=0
timeout -k ${KILL_AFTER_SECONDS} ${run.seconds} sh -c ${inner.text} monarch-release "$@" </dev/null >&2 || status=$?
[ "$status" -eq 0 ] && exit 0
docker rm -f ${container} >/dev/null 2>&1
case $status in
  ${new ShellCommand(TIMED_OUT.join('|'))}) exit ${EXIT.releaseCommandTimedOut} ;;
esac
echo "${RELEASE_COMMAND_REPLIES.status}=$status"
exit ${EXIT.releaseCommandFailed}`,
  );
}

/** The release command's remote command: `runReleaseCommand`, the words on its standard input. */
export function releaseCommandProgram(target: ReleaseTarget, run: ReleaseCommandRun): ShellCommand {
  return program([step(runReleaseCommand(target.layout, target.project, run), { orExit: true })]);
}

/** The standard input of `releaseCommandProgram`: each word quoted as one shell word. */
export function releaseCommandWords(words: readonly string[]): string {
  return sh`${words}`.text;
}
