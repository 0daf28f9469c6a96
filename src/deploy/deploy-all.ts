/** The deploy of every host of a run: what the main step loads once its inputs are good. */
import * as core from '@actions/core';
import { LeftoverTracker } from '../state.js';
import { jumpTunnel } from '../remote/jump-tunnel.js';
import type { DeployIdentity, HostResult, RunContext } from '../types/report.js';
import type { Inputs } from '../types/settings.js';
import { sshConnector } from './connector.js';
import { deployHost } from './deploy-host.js';
import { deployThroughManagers, FAILOVER_CONNECT_MS } from './failover.js';
import { concurrency, deployFleet } from './fleet.js';
import { bufferedLog, streamingLog } from './host-log.js';
import { releaseGate } from './release-command.js';

/** Deploys to every host as `strategy` says; the post step is told what each may still hold. */
export async function deployAll(inputs: Inputs, context: RunContext): Promise<HostResult[]> {
  const leftovers = new LeftoverTracker(inputs.hosts);
  const jump = inputs.jumpHost ? jumpTunnel(inputs.jumpHost, inputs.setupTimeoutMs) : undefined;
  const buffered = !inputs.stack && concurrency(inputs, inputs.hosts.length) > 1;
  // The release command runs on the first host, which the fleet always deploys first.
  const gate = inputs.releaseCommand && !inputs.dryRun ? releaseGate(inputs.hosts[0]) : undefined;
  const deployOne = (host: string, connectBudgetMs?: number, failover?: boolean) => {
    const log = buffered ? bufferedLog(host) : streamingLog(host);
    return deployHost(host, inputs, {
      connect: sshConnector(inputs, log, jump?.open),
      log,
      identity: identityOf(context),
      onLeftovers: (name, stagingDir) => leftovers.set(name, stagingDir),
      connectBudgetMs,
      failover,
      releaseGate: gate,
    });
  };
  try {
    if (inputs.stack) {
      return await deployThroughManagers(
        inputs.hosts,
        (host, last) => (last ? deployOne(host) : deployOne(host, FAILOVER_CONNECT_MS, true)),
        (message) => core.warning(message),
      );
    }
    return await deployFleet(inputs.hosts, inputs, (host) => deployOne(host));
  } finally {
    jump?.close();
  }
}

function identityOf(context: RunContext): DeployIdentity {
  const random = Math.random().toString(36).slice(2, 8);
  const run = [process.env.GITHUB_RUN_ID, process.env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('-');
  return {
    runId: `${run || 'local'}-${random}`.replace(/[^A-Za-z0-9-]/g, ''),
    actor: context.actor,
    commit: context.sha,
    runUrl: context.runUrl,
  };
}
