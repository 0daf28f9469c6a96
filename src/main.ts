/** The main step: inputs -> deploy each host -> notify -> outputs and summary. */
import * as core from '@actions/core';
import { getRunContext } from './context.js';
import { deployHost, sshConnector, type HostResult } from './deploy/deploy-host.js';
import { getInputs, readSlackWebhookUrl, InputError, type Inputs } from './inputs.js';
import { notifySlack } from './notify/slack.js';
import { buildReport, type DeployReport } from './report/deploy-report.js';
import { setOutputs, writeSummary } from './report/outputs.js';
import { PENDING_LOGOUTS } from './post.js';

/** Runs the deploy; the one error boundary of the main step. */
export async function run(): Promise<void> {
  const startedAt = new Date();
  const context = getRunContext();
  let report: DeployReport;
  let webhook: string | null = null;
  try {
    let inputs: Inputs;
    try {
      inputs = getInputs();
    } catch (error) {
      webhook = readSlackWebhookUrl();
      throw error;
    }
    webhook = inputs.slackWebhookUrl;
    report = buildReport(context, startedAt, inputs.hosts, await deployAll(inputs));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof InputError) && error instanceof Error && error.stack)
      core.debug(error.stack);
    report = buildReport(context, startedAt, [], [], {
      step: error instanceof InputError ? 'Reading inputs' : 'Running',
      message,
    });
  }
  setOutputs(report);
  await writeSummary(report).catch((error: unknown) =>
    core.warning(`could not write the job summary: ${String(error)}`),
  );
  if (webhook) await notifySlack(webhook, report);
  if (report.status === 'failure') {
    core.setFailed(report.error ?? 'the deploy failed');
  } else {
    core.info(
      `deployed to ${report.hosts.map((host) => host.host).join(', ')} in ${Math.round(report.durationMs / 1000)} s`,
    );
  }
}

/** Deploys to each host in turn; the post step is told which hosts hold a registry login. */
async function deployAll(inputs: Inputs): Promise<HostResult[]> {
  const loggedIn = new Set<string>();
  const results: HostResult[] = [];
  for (const host of inputs.hosts) {
    results.push(
      await deployHost(host, inputs, {
        connect: sshConnector(inputs),
        onLoginStateChange: (name, isLoggedIn) => {
          if (isLoggedIn) loggedIn.add(name);
          else loggedIn.delete(name);
          core.saveState(PENDING_LOGOUTS, JSON.stringify([...loggedIn]));
        },
      }),
    );
  }
  return results;
}
