/** The main step: inputs -> deploy each host -> notify -> outputs and summary. */
import * as core from '@actions/core';
import { getRunContext } from './context.js';
import { createDeploymentTracker, type DeploymentTracker } from './github/deployments.js';
import { getInputs, readSlackSettings, InputError } from './inputs/index.js';
import { createNotifier, type Notifier } from './notify/slack.js';
import { fetchDigitalOceanRegistryLogin } from './registry/digitalocean.js';
import { buildReport } from './report/deploy-report.js';
import { setOutputs } from './report/outputs.js';
import { writeSummary } from './report/summary.js';
import type { DeployReport, RunContext } from './types/report.js';
import type { Inputs } from './types/settings.js';

/** The services told about the run, none until the inputs say otherwise. */
interface Audience {
  notifier: Notifier;
  deployment: DeploymentTracker;
  where: Pick<DeployReport, 'environment' | 'environmentUrl' | 'stack'>;
}

/** Runs the deploy; the one error boundary of the main step. */
export async function run(): Promise<void> {
  const startedAt = new Date();
  const context = getRunContext();
  const audience: Audience = {
    notifier: createNotifier({ notifyOn: 'never', errorsFatal: false }),
    deployment: createDeploymentTracker({ token: '' }, context),
    where: {},
  };
  let report: DeployReport;
  try {
    const inputs = await readInputs(audience);
    audience.where = {
      environment: inputs.environment,
      environmentUrl: inputs.environmentUrl,
      ...(inputs.stack
        ? { stack: { name: inputs.stack.name, services: inputs.stack.services.length } }
        : {}),
    };
    audience.notifier = createNotifier(inputs.slack);
    await announce(inputs, audience, context, startedAt);
    // The deploy engine (SSH among it) loads once the inputs are known to be good.
    const { deployAll } = await import('./deploy/deploy-all.js');
    const results = await deployAll(await withDigitalOceanLogin(inputs), context);
    report = {
      ...buildReport(context, startedAt, inputs.hosts, results, undefined, inputs.dryRun),
      ...audience.where,
    };
  } catch (error) {
    if (!(error instanceof InputError) && error instanceof Error && error.stack)
      core.debug(error.stack);
    const step = error instanceof InputError ? 'Reading inputs' : 'Running';
    const message = error instanceof Error ? error.message : String(error);
    report = { ...buildReport(context, startedAt, [], [], { step, message }), ...audience.where };
  }
  await finish(report, audience);
}

/** The inputs; when they are invalid, Slack (read leniently) still hears of it. */
async function readInputs(audience: Audience): Promise<Inputs> {
  try {
    return await getInputs();
  } catch (error) {
    // A refused MONARCH_SLACK_API_URL refuses this notifier too: then Slack hears nothing.
    try {
      audience.notifier = createNotifier(readSlackSettings());
    } catch (refused) {
      core.debug(`no Slack notification of the invalid inputs: ${String(refused)}`);
    }
    throw error;
  }
}

/** Starts the GitHub deployment (not for a dry run) and posts "Deploying" to Slack. */
async function announce(
  inputs: Inputs,
  audience: Audience,
  context: RunContext,
  startedAt: Date,
): Promise<void> {
  if (!inputs.dryRun) {
    audience.deployment = createDeploymentTracker(
      { token: inputs.githubToken, ...audience.where },
      context,
    );
    const id = await audience.deployment.start();
    if (id !== undefined) core.setOutput('deployment-id', String(id));
  }
  await audience.notifier.start({ context, targets: inputs.hosts, startedAt, ...audience.where });
}

/** Outputs, the job summary, the deployment's status, Slack, and the step's result. */
async function finish(report: DeployReport, audience: Audience): Promise<void> {
  setOutputs(report);
  await writeSummary(report).catch((error: unknown) =>
    core.warning(`could not write the job summary: ${String(error)}`),
  );
  await audience.deployment.finish(report);
  try {
    const slack = await audience.notifier.finish(report);
    if (slack.ts) core.setOutput('slack-ts', slack.ts);
  } catch (error) {
    // Only with slack-errors-fatal: true.
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
  if (report.status === 'failure') {
    core.setFailed(report.error ?? 'the deploy failed');
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

/** Long enough for every host's pull, one after another, and not much longer. */
function registryLoginSeconds(inputs: Inputs): number {
  return (
    Math.ceil(
      ((inputs.setupTimeoutMs + 2 * inputs.commandTimeoutMs) * inputs.hosts.length) / 1000,
    ) + 300
  );
}
