/**
 * The sequence of one droplet's deploy, over one SSH connection: each step in its own log group,
 * and on failure after the new release was started, a rollback to the one that ran before.
 */
import * as core from '@actions/core';
import type { Inputs } from '../inputs.js';
import { connectWithRetry, type RetryPolicy } from '../remote/ssh-host.js';
import type { RemoteHost } from '../remote/host.js';
import {
  checkHealth,
  openSession,
  prepareHost,
  pruneImages,
  pullRelease,
  registryLogin,
  registryLogout,
  rollBack,
  runningImages,
  startRelease,
  uploadRelease,
  type HostSession,
  type RunningImage,
} from './steps.js';

/** How one droplet's deploy ended. */
export interface HostResult {
  readonly host: string;
  readonly status: 'success' | 'failure';
  /** The step that failed, e.g. "Pulling images". */
  readonly failedStep?: string;
  readonly error?: string;
  readonly rolledBack: boolean;
  readonly images: readonly RunningImage[];
  readonly durationMs: number;
}

/** What the sequence needs from outside: how to connect, and hooks for the post step. */
export interface DeployDependencies {
  readonly connect: (
    host: string,
    retry: RetryPolicy,
  ) => Promise<RemoteHost & { insecure?: boolean; fingerprint?: string }>;
  /** Told before a login and after a logout, so the post step can log out what main could not. */
  readonly onLoginStateChange?: (host: string, loggedIn: boolean) => void;
  readonly retryDelays?: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'now'>;
}

/** Deploys to one host; never throws: failures are in the result. */
export async function deployHost(
  hostName: string,
  inputs: Inputs,
  deps: DeployDependencies,
): Promise<HostResult> {
  const started = Date.now();
  let step = 'Connecting';
  let rolledBack = false;
  let images: RunningImage[] = [];
  let session: HostSession | undefined;
  let loggedIn = false;
  const group = <T>(name: string, body: () => Promise<T>): Promise<T> => {
    step = name;
    return core.group(`${hostName}: ${name}`, body);
  };
  try {
    const deadline = started + inputs.setupTimeoutMs;
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
          core.warning(
            `${hostName}: host key ${connected.fingerprint} accepted WITHOUT verification ('insecure-ignore-host-key'). ` +
              `Pin it with host-fingerprint: ${connected.fingerprint}`,
          );
        } else core.info(`host key verified: ${connected.fingerprint ?? ''}`);
        return connected;
      },
    );
    session = openSession(host, inputs);
    const s = session;
    const marker = inputs.setupMarker ?? 'no setup marker';
    await group(`Waiting for ${marker}, preparing ${inputs.appDir}`, async () => {
      const prepared = await prepareHost(s, Math.max(0, deadline - Date.now()));
      if (inputs.setupMarker)
        core.info(`${inputs.setupMarker} present (waited ${prepared.waitedSeconds} s)`);
      core.info(
        `${inputs.appDir} ready for user ${prepared.user}; compose command: ${prepared.composeCommand}`,
      );
    });
    await group(
      `Uploading docker-compose.yml${inputs.files.length ? ` and ${inputs.files.length} file(s)` : ''}, writing .env`,
      async () => {
        await uploadRelease(s);
        core.info(
          `.env: ${inputs.env.length} variable(s), mode 0600: ${inputs.env.map((v) => v.key).join(', ') || '(none)'}`,
        );
      },
    );
    if (inputs.registry) {
      deps.onLoginStateChange?.(hostName, true);
      loggedIn = true;
      await group(`Logging in to ${inputs.registry.server}`, () => registryLogin(s));
    }
    const release = await group('Pulling images', () => pullRelease(s));
    try {
      await group('Starting containers', () => startRelease(s));
      if (inputs.healthTimeoutMs > 0) await group('Checking health', () => checkHealth(s));
    } catch (error) {
      const failedStep = step;
      rolledBack = await rollBackAfter(s, release.hasPrevious, error);
      step = failedStep;
      throw error;
    }
    images = await runningImages(s);
    if (inputs.prune) {
      await group('Pruning old images', async () =>
        core.info(`removed ${await pruneImages(s)} image(s)`),
      );
    }
    return {
      host: hostName,
      status: 'success',
      rolledBack,
      images,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.error(`${hostName}: ${step}: ${message}`);
    if (error instanceof Error && error.stack) core.debug(error.stack);
    return {
      host: hostName,
      status: 'failure',
      failedStep: step,
      error: message,
      rolledBack,
      images,
      durationMs: Date.now() - started,
    };
  } finally {
    if (session && loggedIn && session.inputs.registryLogout) await logOut(session, hostName, deps);
    session?.host.close();
  }
}

async function rollBackAfter(
  session: HostSession,
  hasPrevious: boolean,
  error: unknown,
): Promise<boolean> {
  if (!session.inputs.rollback) {
    core.warning(`${session.host.name}: 'rollback' is false: the failed release stays in place`);
    return false;
  }
  if (!hasPrevious) {
    core.warning(
      `${session.host.name}: first deploy to ${session.inputs.appDir}: there is no previous release to roll back to`,
    );
    return false;
  }
  return core.group(`${session.host.name}: Rolling back`, async () => {
    core.info(
      `rolling back after: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
    try {
      await rollBack(session);
      core.info('the previous release is running again');
      return true;
    } catch (rollbackError) {
      core.error(
        `${session.host.name}: rollback failed: ${rollbackError instanceof Error ? rollbackError.message : String(rollbackError)}`,
      );
      return false;
    }
  });
}

async function logOut(
  session: HostSession,
  hostName: string,
  deps: DeployDependencies,
): Promise<void> {
  try {
    await registryLogout(session);
    deps.onLoginStateChange?.(hostName, false);
  } catch (error) {
    core.warning(
      `${hostName}: could not log out of the registry now (the post step will retry): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The real connector: ssh2 with retries, logging each retry. */
export function sshConnector(inputs: Inputs): DeployDependencies['connect'] {
  return (host, retry) =>
    connectWithRetry(
      {
        host,
        port: inputs.port,
        username: inputs.username,
        privateKey: inputs.privateKey,
        passphrase: inputs.passphrase,
        hostKeyPolicy: inputs.hostKeyPolicy,
      },
      retry,
      (attempt, error, delayMs) =>
        core.info(
          `attempt ${attempt} failed (${error.message}); retrying in ${Math.round(delayMs / 1000)} s`,
        ),
    );
}
