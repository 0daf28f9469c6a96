/** The main step: inputs -> deploy each host -> notify -> outputs and summary. */
import * as core from '@actions/core';
import { getRunContext } from './context.js';
import { createDeploymentTracker, type DeploymentTracker } from './github/deployments.js';
import { getInputs, readSlackSettings, InputError, InvalidInputs } from './inputs/index.js';
import { createNotifier, type Notifier } from './notify/slack.js';
import { registryLoginSeconds } from './deploy/deadlines.js';
import { fetchDigitalOceanRegistryLogin } from './registry/digitalocean.js';
import { buildReport } from './report/deploy-report.js';
import { setOutputs } from './report/outputs.js';
import { writeSummary } from './report/summary.js';
import type { DeployReport, RunContext } from './types/report.js';
import type { Inputs } from './types/settings.js';

/**
 * Who hears of the run (Slack, the GitHub deployment) and of which target (environment, stack):
 * no one until the inputs say otherwise.
 */
interface Listeners {
  notifier: Notifier;
  deployment: DeploymentTracker;
  target: Pick<DeployReport, 'environment' | 'environmentUrl' | 'stack'>;
}

/** Runs the deploy; the one error boundary of the main step. */
export async function run(): Promise<void> {
  const startedAt = new Date();
  const context = getRunContext();
  const listeners: Listeners = {
    notifier: createNotifier({ notifyOn: 'never', errorsFatal: false }),
    deployment: createDeploymentTracker({ token: '' }, context),
    target: {},
  };
  let report: DeployReport;
  let invalidInputs: readonly string[] = [];
  try {
    const inputs = await readInputs(listeners);
    listeners.target = {
      environment: inputs.environment,
      environmentUrl: inputs.environmentUrl,
      ...(inputs.stack
        ? { stack: { name: inputs.stack.name, services: inputs.stack.services.length } }
        : {}),
    };
    listeners.notifier = createNotifier(inputs.slack);
    await announce(inputs, listeners, context, startedAt);
    // The deploy engine (SSH among it) loads once the inputs are known to be good.
    const { deployAll } = await import('./deploy/deploy-all.js');
    const results = await deployAll(await withDigitalOceanLogin(inputs), context);
    report = {
      ...buildReport(context, startedAt, inputs.hosts, results, undefined, inputs.dryRun),
      ...listeners.target,
    };
  } catch (error) {
    const inputError = error instanceof InputError || error instanceof InvalidInputs;
    if (!inputError && error instanceof Error && error.stack) core.debug(error.stack);
    if (error instanceof InvalidInputs) invalidInputs = error.errors.map((e) => e.message);
    const step = inputError ? 'Reading inputs' : 'Running';
    const message = error instanceof Error ? error.message : String(error);
    report = { ...buildReport(context, startedAt, [], [], { step, message }), ...listeners.target };
  }
  await finish(report, listeners, invalidInputs);
}

/** The inputs; when they are invalid, Slack (read leniently) still hears of it. */
async function readInputs(listeners: Listeners): Promise<Inputs> {
  try {
    return await getInputs();
  } catch (error) {
    // A refused MONARCH_SLACK_API_URL refuses this notifier too: then Slack hears nothing.
    try {
      listeners.notifier = createNotifier(readSlackSettings());
    } catch (refused) {
      core.debug(`no Slack notification of the invalid inputs: ${String(refused)}`);
    }
    throw error;
  }
}

/** Starts the GitHub deployment (not for a dry run) and posts "Deploying" to Slack. */
async function announce(
  inputs: Inputs,
  listeners: Listeners,
  context: RunContext,
  startedAt: Date,
): Promise<void> {
  if (!inputs.dryRun) {
    listeners.deployment = createDeploymentTracker(
      { token: inputs.githubToken, ...listeners.target },
      context,
    );
    const id = await listeners.deployment.start();
    if (id !== undefined) core.setOutput('deployment-id', String(id));
  }
  await listeners.notifier.start({
    context,
    targets: inputs.hosts,
    startedAt,
    ...listeners.target,
  });
}

/**
 * Outputs, the job summary, the deployment's status, Slack, and the step's result: with several
 * `invalidInputs`, one annotation each (the report's error lists them all).
 */
async function finish(
  report: DeployReport,
  listeners: Listeners,
  invalidInputs: readonly string[],
): Promise<void> {
  setOutputs(report);
  await writeSummary(report).catch((error: unknown) =>
    core.warning(`could not write the job summary: ${String(error)}`),
  );
  await listeners.deployment.finish(report);
  try {
    const slack = await listeners.notifier.finish(report);
    if (slack.ts) core.setOutput('slack-ts', slack.ts);
  } catch (error) {
    // Only with slack-errors-fatal: true.
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
  if (report.status === 'failure') {
    if (invalidInputs.length > 1) {
      for (const message of invalidInputs) core.error(message);
      // What core.setFailed sets, without its annotation (each input has its own). Not
      // core.ExitCode: @github/local-action's stand-in for @actions/core has no such export.
      process.exitCode = 1;
    } else core.setFailed(report.error ?? 'the deploy failed');
    return;
  }
  const verb = report.dryRun ? 'checked (dry run, nothing changed):' : 'deployed to';
  const hosts = report.hosts.map((host) => host.host).join(', ');
  core.info(`${verb} ${hosts} in ${Math.round(report.durationMs / 1000)} s`);
}

/**
 * With `digitalocean-token`, asks DigitalOcean (from the runner) for short-lived read-only
 * registry credentials, so the full-scope API token never reaches a droplet.
 */
async function withDigitalOceanLogin(inputs: Inputs): Promise<Inputs> {
  const digitalOcean = inputs.digitalOcean;
  if (!digitalOcean) return inputs;
  const seconds = registryLoginSeconds(inputs);
  const login = await core.group(
    'Getting short-lived registry credentials from DigitalOcean',
    async () => {
      const answer = await fetchDigitalOceanRegistryLogin(digitalOcean.token, seconds);
      core.info(`read-only credentials for ${digitalOcean.registry}, valid ${seconds} s`);
      return answer;
    },
  );
  return { ...inputs, registry: { ...login, server: digitalOcean.registry } };
}
