/**
 * The post step: logs out of the registry on any host where the main step logged in and could
 * not log out (it was cancelled, or lost the connection). It only ever warns. The action writes
 * nothing to the runner's temporary folder, so there is nothing else to clean up.
 */
import * as core from '@actions/core';
import { getInputs } from './inputs.js';
import { jumpTunnel } from './remote/jump-tunnel.js';
import { sh } from './remote/shell.js';
import { connectWithRetry } from './remote/ssh-host.js';

const PENDING_LOGOUTS = 'pending-registry-logouts';
const POST_TIMEOUT_MS = 30_000;

/** Hosts still logged in to `server`, as the main step last knew. */
export interface PendingLogouts {
  readonly server: string;
  readonly hosts: readonly string[];
}

/** Records, for the post step, which hosts still hold a registry login. */
export function savePendingLogouts(pending: PendingLogouts): void {
  core.saveState(PENDING_LOGOUTS, JSON.stringify(pending));
}

/** Runs the post step. */
export async function post(): Promise<void> {
  try {
    const pending = JSON.parse(
      core.getState(PENDING_LOGOUTS) || '{"server":"","hosts":[]}',
    ) as PendingLogouts;
    if (pending.hosts.length === 0 || !pending.server) {
      core.info('post step: nothing to clean up (no host is left logged in to a registry)');
      return;
    }
    const inputs = getInputs();
    const tunnel = inputs.jumpHost ? jumpTunnel(inputs.jumpHost, POST_TIMEOUT_MS) : undefined;
    for (const hostName of pending.hosts) {
      await core.group(`${hostName}: Logging out of ${pending.server}`, async () => {
        try {
          const host = await connectWithRetry(
            { ...inputs, host: hostName, tunnel: tunnel?.open },
            { deadline: Date.now() + POST_TIMEOUT_MS, baseDelayMs: 1_000, maxDelayMs: 5_000 },
          );
          try {
            const result = await host.exec(sh`docker logout ${pending.server}`, {
              label: 'Logging out',
              timeoutMs: POST_TIMEOUT_MS,
            });
            if (result.code !== 0)
              core.warning(`${hostName}: docker logout failed: ${result.stderr.trim()}`);
          } finally {
            host.close();
          }
        } catch (error) {
          core.warning(
            `${hostName}: could not log out of the registry: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      });
    }
    tunnel?.close();
  } catch (error) {
    core.warning(`post step: ${error instanceof Error ? error.message : String(error)}`);
  }
}
