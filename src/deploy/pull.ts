/**
 * Uploading the release, keeping the running one and pulling the new images: nothing in the
 * app directory changes here, so if this fails or the connection drops, the host runs, and has
 * on disk, what it had.
 */
import { EXIT, readReplies } from '../host-scripts/protocol.js';
import { KEEP_REPLIES } from '../host-scripts/release.js';
import { lastLines } from '../remote-text.js';
import { DeployStepError, programsOf, UnsafeHostError, type HostSession } from './session.js';
import { releaseArchive } from './upload.js';

/** What `pullRelease` found about the release it will replace. */
export interface PulledRelease {
  /** True when a previous release exists to roll back to. */
  readonly hasPrevious: boolean;
}

/** The log title of the pull step. */
export function pullTitle(session: HostSession): string {
  const registry = session.inputs.registry;
  const login = registry ? `, logging in to ${registry.server}` : '';
  return `Uploading the release${login}, pulling images`;
}

/**
 * Runs `pullProgram` once `ready` resolves (its channel opens now: see `ExecOptions.after`),
 * the release's archive on its standard input.
 */
export async function pullRelease(
  session: HostSession,
  ready: Promise<unknown> = Promise.resolve(),
): Promise<PulledRelease> {
  const { inputs } = session;
  const registry = inputs.registry;
  const { entries, archive } = releaseArchive(session);
  const script = programsOf(session).pull(entries);
  const result = await session.host.exec(script, {
    label: pullTitle(session),
    stdin: archive,
    timeoutMs: session.mode.limits.pull,
    after: ready,
  });
  if (result.code === EXIT.uploadFailed) {
    throw new DeployStepError(
      `the release could not be written into ${session.layout.stagingDir}: ${lastLines(result.stderr, 2) || 'no reason given'}`,
    );
  }
  if (result.code === EXIT.unsafePath) {
    throw new UnsafeHostError(session.host.name, result.stdout);
  }
  if (result.code === EXIT.loginFailed && registry) {
    throw new DeployStepError(
      `registry login to ${registry.server} failed: ${lastLines(result.stderr, 2) || 'no reason given'}`,
    );
  }
  if (result.code !== 0) {
    throw new DeployStepError(
      `pulling the images failed; the running version was left as it was: ${lastLines(result.stderr, 3) || `exit code ${result.code}`}`,
    );
  }
  const replies = readReplies(result.stdout, KEEP_REPLIES);
  return { hasPrevious: replies.get(KEEP_REPLIES.previous) === 'yes' };
}
