/** The deploy of every host of a run: what the main step loads once its inputs are good. */
import * as core from '@actions/core';
import { LeftoverTracker } from '../state.js';
import { jumpTunnel } from '../remote/jump-tunnel.js';
import type { DeployIdentity, HostResult, RunContext } from '../types/report.js';
import type { Inputs } from '../types/settings.js';
import { sshConnector } from './connector.js';
import { deployHost } from './deploy-host.js';
import { bufferedLog, streamingLog } from './host-log.js';
import type { HostDeployOptions } from './mode.js';
import { modeOf } from './modes.js';
import { releaseGate } from './release-command.js';

/**
 * Deploys to every host as the run's mode goes through them (a fleet as `strategy` says, or a
 * swarm's managers in order); the post step is told what each may still hold.
 */
export async function deployAll(inputs: Inputs, context: RunContext): Promise<HostResult[]> {
  const mode = modeOf(inputs);
  const leftovers = new LeftoverTracker(inputs.hosts);
  const jump = inputs.jumpHost ? jumpTunnel(inputs.jumpHost, inputs.setupTimeoutMs) : undefined;
  // The release command runs on the first host, which every mode deploys first.
  const gate = inputs.releaseCommand && !inputs.dryRun ? releaseGate(inputs.hosts[0]) : undefined;
  const deployOne = (host: string, options: HostDeployOptions) => {
    const log = options.buffered ? bufferedLog(host) : streamingLog(host);
    return deployHost(host, inputs, {
      connect: sshConnector(inputs, log, jump?.open),
      log,
      identity: identityOf(context),
      onLeftovers: (name, stagingDir) => leftovers.set(name, stagingDir),
      connectBudgetMs: options.connectBudgetMs,
      failover: options.failover,
      mode,
      releaseGate: gate,
    });
  };
  try {
    return await mode.deployHosts(inputs.hosts, deployOne, (message) => core.warning(message));
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
