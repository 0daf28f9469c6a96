/** One droplet being deployed: its connection, the settings, and what the steps learned. */
import path from 'node:path/posix';
import { layoutOf, type Layout } from '../host-scripts/layout.js';
import type { ReleaseTarget } from '../host-scripts/programs.js';
import { readReplies } from '../host-scripts/protocol.js';
import { UNSAFE_REPLIES } from '../host-scripts/safe-files.js';
import type { RemoteHost } from '../remote/host.js';
import type { DeployIdentity } from '../types/report.js';
import type { Inputs } from '../types/settings.js';
import type { DeployMode, DeployPrograms } from './mode.js';

/** A connected host and what the deploy knows about it. */
export interface HostSession {
  readonly host: RemoteHost;
  readonly inputs: Inputs;
  readonly layout: Layout;
  readonly identity: DeployIdentity;
  /** How this run deploys (chosen once: `modeOf`). */
  readonly mode: DeployMode;
}

/** A step that failed in a way the user can act on; `message` says what and where. */
export class DeployStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployStepError';
  }
}

/**
 * app-dir holds what the deploy must not follow or overwrite (a link, a folder where a file
 * goes, a foreign owner): the step stopped before it changed anything. `stdout` is the
 * program's, whose `unsafe=` reply says what.
 */
export class UnsafeHostError extends DeployStepError {
  constructor(host: string, stdout: string) {
    const what = readReplies(stdout, UNSAFE_REPLIES).get(UNSAFE_REPLIES.unsafe);
    super(
      `${host}: ${what ?? 'app-dir is not safe to deploy into'}; nothing was changed. ` +
        "Remove it, or fix app-dir's owner and mode, and deploy again",
    );
    this.name = 'UnsafeHostError';
  }
}

/** Starts a session on a connected host. */
export function openSession(
  host: RemoteHost,
  inputs: Inputs,
  identity: DeployIdentity,
  mode: DeployMode,
): HostSession {
  return {
    host,
    inputs,
    identity,
    mode,
    layout: layoutOf(inputs.appDir, identity.runId),
  };
}

/** Compose's default project name for the app directory (its base name, as compose derives it). */
export function projectName(appDir: string): string {
  return (
    path
      .basename(appDir)
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, '') || 'default'
  );
}

/** Names the release files (relative to the app directory) that a deploy replaces. */
export function releaseFiles(session: HostSession): string[] {
  const { inputs, mode } = session;
  return [
    'docker-compose.yml',
    ...mode.releaseEntries.map((entry) => entry.name),
    '.env',
    ...inputs.files.map((file) => file.remoteName),
  ];
}

/** What the host programs need to know about this session's release. */
export function releaseTarget(session: HostSession): ReleaseTarget {
  return {
    layout: session.layout,
    files: releaseFiles(session),
    project: projectName(session.inputs.appDir),
  };
}

/** The remote programs of this session's deploy, as its mode has them. */
export function programsOf(session: HostSession): DeployPrograms {
  const token = `${session.identity.runId}@${session.host.name}`;
  return session.mode.programs(releaseTarget(session), token);
}
