/**
 * The post step: logs out of the registry on any host where the main step logged in and could
 * not log out (it was cancelled, or lost the connection). It only ever warns.
 */
import * as core from '@actions/core';
import { getInputs } from './inputs.js';
import { connectWithRetry } from './remote/ssh-host.js';
import { sh } from './remote/shell.js';

/** State key: JSON list of hosts still logged in to the registry. */
export const PENDING_LOGOUTS = 'pending-registry-logouts';

/** Runs the post step. */
export async function post(): Promise<void> {
  try {
    const pending = JSON.parse(core.getState(PENDING_LOGOUTS) || '[]') as string[];
    if (pending.length === 0) return;
    const inputs = getInputs();
    if (!inputs.registry || !inputs.registryLogout) return;
    for (const hostName of pending) {
      await core.group(`${hostName}: Logging out of ${inputs.registry.server}`, async () => {
        try {
          const host = await connectWithRetry(
            {
              host: hostName,
              port: inputs.port,
              username: inputs.username,
              privateKey: inputs.privateKey,
              passphrase: inputs.passphrase,
              hostKeyPolicy: inputs.hostKeyPolicy,
            },
            { deadline: Date.now() + 30_000, baseDelayMs: 1_000, maxDelayMs: 5_000 },
          );
          try {
            const result = await host.exec(sh`docker logout ${inputs.registry!.server}`, {
              label: 'Logging out',
              timeoutMs: 30_000,
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
  } catch (error) {
    core.warning(`post step: ${error instanceof Error ? error.message : String(error)}`);
  }
}
