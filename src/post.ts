/**
 * The post step: removes, on any host where the main step was cut short (cancelled, or its
 * connection lost), that run's staging folder, which may hold its files and its registry
 * credentials. It only ever warns. The action writes nothing to the runner's temporary folder,
 * so there is nothing to clean up on the runner.
 */
import * as core from '@actions/core';
import { getInputs } from './inputs.js';
import { jumpTunnel } from './remote/jump-tunnel.js';
import { sh } from './remote/shell.js';
import { connectWithRetry } from './remote/ssh-host.js';

const LEFTOVERS = 'leftovers';
const POST_TIMEOUT_MS = 30_000;

/** Records, for the post step, each host's staging folder that main has not removed yet. */
export function saveLeftovers(byHost: Readonly<Record<string, string>>): void {
  core.saveState(LEFTOVERS, JSON.stringify(byHost));
}

/** Runs the post step. */
export async function post(): Promise<void> {
  try {
    const byHost = JSON.parse(core.getState(LEFTOVERS) || '{}') as Record<string, string>;
    const hosts = Object.keys(byHost);
    if (hosts.length === 0) {
      core.info('post step: nothing to clean up (the main step removed everything it left)');
      return;
    }
    const inputs = getInputs();
    const tunnel = inputs.jumpHost ? jumpTunnel(inputs.jumpHost, POST_TIMEOUT_MS) : undefined;
    for (const hostName of hosts) {
      await core.group(`${hostName}: Removing what the cut-short deploy left`, async () => {
        try {
          const host = await connectWithRetry(
            { ...inputs, host: hostName, tunnel: tunnel?.open },
            { deadline: Date.now() + POST_TIMEOUT_MS, baseDelayMs: 1_000, maxDelayMs: 5_000 },
          );
          try {
            const dir = byHost[hostName];
            if (!dir.startsWith(`${inputs.appDir}/.monarch/staging-`)) {
              throw new Error(
                `refusing to remove ${dir}: not a staging folder of ${inputs.appDir}`,
              );
            }
            const result = await host.exec(sh`rm -rf ${dir}`, {
              label: 'Cleaning up',
              timeoutMs: POST_TIMEOUT_MS,
            });
            if (result.code === 0) core.info(`removed ${byHost[hostName]}`);
            else
              core.warning(
                `${hostName}: could not remove ${byHost[hostName]}: ${result.stderr.trim()}`,
              );
          } finally {
            host.close();
          }
        } catch (error) {
          core.warning(
            `${hostName}: could not clean up: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      });
    }
    tunnel?.close();
  } catch (error) {
    core.warning(`post step: ${error instanceof Error ? error.message : String(error)}`);
  }
}
