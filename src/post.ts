/**
 * The post step: removes, on any host where the main step was cut short (cancelled, or its
 * connection lost), that run's staging folder, which may hold its files and its registry
 * credentials. It reads only the connection inputs and its own state (so it still runs when a
 * later step removed the compose file), acts only on hosts of `host` and on staging folders of
 * `app-dir`, and only ever warns. The action writes nothing to the runner's temporary folder,
 * so there is nothing to clean up on the runner.
 */
import * as core from '@actions/core';
import { layoutOf, STAGING_PREFIX } from './host-scripts/layout.js';
import { removeFolderProgram } from './host-scripts/programs.js';
import { getConnectionInputs, readHosts } from './inputs/index.js';
import { jumpTunnel, type JumpTunnel } from './remote/jump-tunnel.js';
import { connectWithRetry } from './remote/ssh-connect.js';
import { readLeftovers } from './state.js';
import type { ConnectionInputs } from './types/settings.js';

const POST_TIMEOUT_MS = 30_000;

/** Runs the post step. */
export async function post(): Promise<void> {
  try {
    const byHost = readLeftovers(readHosts(core.getInput));
    if (Object.keys(byHost).length === 0) {
      core.info('post step: nothing to clean up (the main step removed everything it left)');
      return;
    }
    const inputs = await getConnectionInputs();
    const tunnel = inputs.jumpHost ? jumpTunnel(inputs.jumpHost, POST_TIMEOUT_MS) : undefined;
    try {
      for (const [host, dir] of Object.entries(byHost)) {
        await core.group(`${host}: Removing what the cut-short deploy left`, () =>
          removeLeftover(inputs, host, dir, tunnel),
        );
      }
    } finally {
      tunnel?.close();
    }
  } catch (error) {
    core.warning(`post step: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Why the saved `dir` on `host` is not something the post step may remove, if it is not. */
export function refusal(inputs: ConnectionInputs, host: string, dir: string): string | null {
  if (!inputs.hosts.includes(host)) return `${host} is not one of the hosts of 'host'`;
  const stateDir = layoutOf(inputs.appDir, 'x').stateDir;
  if (!new RegExp(`^${escapeRegExp(stateDir)}/${STAGING_PREFIX}[A-Za-z0-9-]+$`).test(dir))
    return `${dir} is not a staging folder of ${inputs.appDir}`;
  return null;
}

async function removeLeftover(
  inputs: ConnectionInputs,
  host: string,
  dir: string,
  tunnel: JumpTunnel | undefined,
): Promise<void> {
  const refused = refusal(inputs, host, dir);
  if (refused) {
    core.warning(`${host}: refusing to clean up: ${refused}`);
    return;
  }
  try {
    const connected = await connectWithRetry(
      { ...inputs, host, tunnel: tunnel?.open },
      { deadline: Date.now() + POST_TIMEOUT_MS, baseDelayMs: 1_000, maxDelayMs: 5_000 },
    );
    try {
      const result = await connected.exec(removeFolderProgram(dir), {
        label: 'Cleaning up',
        timeoutMs: POST_TIMEOUT_MS,
      });
      if (result.code === 0) core.info(`removed ${dir}`);
      else core.warning(`${host}: could not remove ${dir}: ${result.stderr.trim()}`);
    } finally {
      connected.close();
    }
  } catch (error) {
    core.warning(
      `${host}: could not clean up: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
