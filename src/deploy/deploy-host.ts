/**
 * The sequence of one droplet's deploy, over one SSH connection: each step a group in the log;
 * on a failure after the new release was started, a rollback to the one that ran before.
 */
import type { Inputs } from '../inputs.js';
import { ConnectionLostError, type RemoteHost } from '../remote/host.js';
import { sh } from '../remote/shell.js';
import { connectWithRetry, type RetryPolicy, type SshTarget } from '../remote/ssh-host.js';
import type { HostLog } from './host-log.js';
import {
  DeployStepError,
  dryRun,
  lockHost,
  openSession,
  pullRelease,
  recordFailure,
  rollBack,
  startRelease,
  uploadRelease,
  type DeployIdentity,
  type DryRunReport,
  type HistoryEntry,
  type HostSession,
  type PulledRelease,
  type RunningImage,
  type StepReport,
} from './steps.js';

/** How one droplet's deploy ended. */
export interface HostResult {
  readonly host: string;
  /** `skipped`: a rolling deploy stopped before this host. */
  readonly status: 'success' | 'failure' | 'skipped';
  /** The step that failed, e.g. "Pulling images". */
  readonly failedStep?: string;
  readonly error?: string;
  readonly rolledBack: boolean;
  readonly images: readonly RunningImage[];
  /** The last entries of the app directory's deploy history, this one included. */
  readonly history: readonly HistoryEntry[];
  readonly durationMs: number;
  readonly dryRun?: DryRunReport;
}

/** A connected host as the sequence needs it. */
export type ConnectedHost = RemoteHost & {
  readonly insecure?: boolean;
  readonly fingerprint?: string;
};

/** What the sequence needs from outside. */
export interface DeployDependencies {
  readonly connect: (host: string, retry: RetryPolicy) => Promise<ConnectedHost>;
  readonly log: HostLog;
  readonly identity: DeployIdentity;
  /**
   * Told which of this run's folders may hold its files and registry credentials on the host
   * (null once removed), so the post step can remove what main could not.
   */
  readonly onLeftovers?: (host: string, stagingDir: string | null) => void;
  readonly retryDelays?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'now'>;
}

/** Deploys to one host; never throws: failures are in the result. */
export async function deployHost(
  hostName: string,
  inputs: Inputs,
  deps: DeployDependencies,
): Promise<HostResult> {
  const { log } = deps;
  const started = Date.now();
  const deadline = started + inputs.setupTimeoutMs;
  let step = 'Connecting';
  let session: HostSession | undefined;
  let release: (() => void) | undefined;
  let locked = false;
  let stagingGone = false;
  let outcome: StepReport = { images: [], history: [], removedImages: 0 };
  const group = <T>(name: string, body: () => Promise<T>): Promise<T> => {
    step = name;
    return log.group(name, body);
  };
  const result = (status: 'success' | 'failure', extra: Partial<HostResult> = {}): HostResult => ({
    host: hostName,
    status,
    rolledBack: false,
    images: outcome.images,
    history: outcome.history,
    durationMs: Date.now() - started,
    ...extra,
  });
  try {
    const host = await group(
      `Connecting to ${hostName}:${inputs.port} as ${inputs.username}`,
      async () => {
        const connected = await deps.connect(hostName, {
          deadline,
          baseDelayMs: 1_000,
          maxDelayMs: 10_000,
          ...deps.retryDelays,
        });
        if (connected.insecure) {
          log.warning(
            `host key ${connected.fingerprint} accepted WITHOUT verification ('insecure-ignore-host-key'); ` +
              `pin it with host-fingerprint: ${connected.fingerprint}`,
          );
        } else log.info(`host key verified: ${connected.fingerprint ?? ''}`);
        return connected;
      },
    );
    const s = openSession(host, inputs, deps.identity);
    session = s;
    if (inputs.dryRun)
      return result('success', { dryRun: await dryRunSteps(s, deadline, group, log) });

    // The upload starts at once, beside the wait for the marker and the lock: it writes only
    // to this run's own staging folder. On a first deploy that folder's parent appears with
    // the lock, and the upload is tried again then.
    deps.onLeftovers?.(hostName, s.layout.stagingDir);
    const earlyUpload = uploadRelease(s, true);
    earlyUpload.catch(() => {});
    const lockTitle = inputs.setupMarker
      ? `Waiting for ${inputs.setupMarker}, locking ${inputs.appDir}`
      : `Locking ${inputs.appDir}`;
    await group(lockTitle, async () => {
      const lock = await lockHost(s, Math.max(0, deadline - Date.now()), holdBudget(inputs));
      release = lock.lock.release;
      locked = true;
      if (inputs.setupMarker)
        log.info(`${inputs.setupMarker} present (waited ${lock.waitedSeconds} s)`);
      if (lock.lockWaitedSeconds > 0) {
        log.info(`waited ${lock.lockWaitedSeconds} s for another deploy's lock`);
      }
      log.info(
        `${inputs.appDir} locked for this deploy; user ${lock.user}; compose command: ${lock.composeCommand}`,
      );
    });
    // The next two commands' channels open now, while the files upload and the images pull;
    // each waits on the host for its turn (see WAIT_FOR_GO in steps.ts): two round trips saved
    // apiece. If a step fails, the ones after it are told to stop before they do anything.
    const uploaded = earlyUpload.then(async (done) => {
      if (!done) await uploadRelease(s);
    });
    const pulling = pullRelease(s, uploaded);
    const starting = startRelease(s, pulling);
    pulling.catch(() => {});
    starting.catch(() => {});

    const files = inputs.files.length ? ` and ${inputs.files.length} file(s)` : '';
    await group(`Uploading docker-compose.yml${files}, writing .env`, async () => {
      await uploaded;
      const keys = inputs.env.map((v) => v.key).join(', ') || '(none)';
      log.info(`.env: ${inputs.env.length} variable(s), mode 0600: ${keys}`);
    });
    const pullTitle = inputs.registry
      ? `Logging in to ${inputs.registry.server}, pulling images`
      : 'Pulling images';
    const pulled: PulledRelease = await group(pullTitle, () => pulling);
    try {
      outcome = await group('Starting containers, checking health', () => starting);
      stagingGone = true;
    } catch (error) {
      // Up and health failures come after the staged files were moved and their folder removed.
      if (error instanceof DeployStepError) stagingGone = true;
      const failedStep = step;
      const rolledBack = await rollBackAfter(
        s,
        pulled.hasPrevious,
        error,
        log,
        (report) => (outcome = report),
      );
      step = failedStep;
      if (rolledBack) return failure(error, { rolledBack: true });
      throw error;
    }
    if (inputs.prune) log.info(`pruned ${outcome.removedImages} unused image(s)`);
    return result('success');
  } catch (error) {
    if (session && locked && !(error instanceof ConnectionLostError)) {
      await recordFailure(session).then(
        (report) => {
          outcome = report;
          stagingGone = true;
        },
        (recordError: unknown) => log.debug(`could not record the failure: ${String(recordError)}`),
      );
    }
    return failure(error);
  } finally {
    if (session && !stagingGone) stagingGone = await removeStaging(session, log);
    if (stagingGone) deps.onLeftovers?.(hostName, null);
    release?.();
    session?.host.close();
  }

  function failure(error: unknown, extra: Partial<HostResult> = {}): HostResult {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`${step}: ${message}`);
    if (error instanceof Error && error.stack) log.debug(error.stack);
    return result('failure', { failedStep: step, error: message, ...extra });
  }
}

/** The limit for the lock holder: the whole deploy's worst case, so a stuck one cannot hold forever. */
function holdBudget(inputs: Inputs): number {
  return 6 * inputs.commandTimeoutMs + inputs.healthTimeoutMs + 60_000;
}

/** Removes this run's staging folder (files, registry credentials) after an early failure. */
async function removeStaging(session: HostSession, log: HostLog): Promise<boolean> {
  if (session.inputs.dryRun) return true;
  try {
    const result = await session.host.exec(sh`rm -rf ${session.layout.stagingDir}`, {
      label: 'Cleaning up',
      timeoutMs: 15_000,
    });
    return result.code === 0;
  } catch (error) {
    log.debug(`could not remove ${session.layout.stagingDir}: ${String(error)}`);
    return false;
  }
}

async function rollBackAfter(
  session: HostSession,
  hasPrevious: boolean,
  error: unknown,
  log: HostLog,
  onReport: (report: StepReport) => void,
): Promise<boolean> {
  if (!session.inputs.rollback) {
    log.warning(`'rollback' is false: the failed release stays in place`);
    return false;
  }
  if (!hasPrevious) {
    log.warning(
      `first deploy to ${session.inputs.appDir}: there is no previous release to roll back to`,
    );
    return false;
  }
  return log.group('Rolling back', async () => {
    log.info(
      `rolling back after: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
    try {
      onReport(await rollBack(session));
      log.info('the previous release is running again');
      return true;
    } catch (rollbackError) {
      log.error(
        `rollback failed: ${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)}`,
      );
      return false;
    }
  });
}

async function dryRunSteps(
  session: HostSession,
  deadline: number,
  group: <T>(name: string, body: () => Promise<T>) => Promise<T>,
  log: HostLog,
): Promise<DryRunReport> {
  return group(
    'Dry run: checking the droplet, the compose file and the registry login',
    async () => {
      const report = await dryRun(
        session,
        Math.max(0, deadline - Date.now()),
        async () =>
          (await session.host.readFile(`${session.inputs.appDir}/.env`))?.toString('utf8') ?? null,
      );
      log.info(`compose command: ${report.composeCommand}; user ${report.user}`);
      log.info(
        `${session.inputs.appDir} ${report.appDirExists ? 'exists' : 'does not exist yet (a deploy would create it)'}`,
      );
      log.info("the compose file passes the host's compose config check");
      if (session.inputs.registry)
        log.info(`registry login to ${session.inputs.registry.server} works`);
      log.info(`.env keys added: ${report.added.join(', ') || 'none'}`);
      log.info(`.env keys changed: ${report.changed.join(', ') || 'none'}`);
      log.info(`.env keys removed: ${report.removed.join(', ') || 'none'}`);
      log.info('nothing was changed on the droplet');
      return report;
    },
  );
}

/** The real connector: ssh2 with retries (through a jump host when set), logging each retry. */
export function sshConnector(
  inputs: Inputs,
  log: HostLog,
  tunnel?: SshTarget['tunnel'],
): DeployDependencies['connect'] {
  return (host, retry) =>
    connectWithRetry(
      {
        host,
        port: inputs.port,
        username: inputs.username,
        privateKey: inputs.privateKey,
        passphrase: inputs.passphrase,
        hostKeyPolicy: inputs.hostKeyPolicy,
        tunnel,
      },
      retry,
      (attempt, error, delayMs) =>
        log.info(
          `attempt ${attempt} failed (${error.message}); retrying in ${Math.round(delayMs / 1000)} s`,
        ),
    );
}
