/** The main step: inputs -> deploy each host -> notify -> outputs and summary. */
import * as core from '@actions/core';
import { getRunContext, type RunContext } from './context.js';
import { deployHost, sshConnector, type HostResult } from './deploy/deploy-host.js';
import { bufferedLog, streamingLog } from './deploy/host-log.js';
import type { DeployIdentity } from './deploy/steps.js';
import { createDeploymentTracker, type DeploymentTracker } from './github/deployments.js';
import { getInputs, readSlackSettings, InputError, type Inputs } from './inputs.js';
import { createNotifier, type Notifier } from './notify/slack.js';
import { fetchDigitalOceanRegistryLogin } from './registry/digitalocean.js';
import { saveLeftovers } from './post.js';
import { jumpTunnel } from './remote/jump-tunnel.js';
import { buildReport, type DeployReport } from './report/deploy-report.js';
import { setOutputs, writeSummary } from './report/outputs.js';

/** Runs the deploy; the one error boundary of the main step. */
export async function run(): Promise<void> {
  const startedAt = new Date();
  const context = getRunContext();
  let notifier: Notifier = createNotifier({ notifyOn: 'never', errorsFatal: false });
  let deployment: DeploymentTracker = createDeploymentTracker({ token: '' }, context);
  let where: Pick<DeployReport, 'environment' | 'environmentUrl'> = {};
  let report: DeployReport;
  try {
    let inputs: Inputs;
    try {
      inputs = getInputs();
    } catch (error) {
      notifier = createNotifier(readSlackSettings());
      throw error;
    }
    where = { environment: inputs.environment, environmentUrl: inputs.environmentUrl };
    notifier = createNotifier(inputs.slack);
    if (!inputs.dryRun) {
      deployment = createDeploymentTracker({ token: inputs.githubToken, ...where }, context);
      const id = await deployment.start();
      if (id !== undefined) core.setOutput('deployment-id', String(id));
    }
    await notifier.start({ context, targets: inputs.hosts, startedAt, ...where });
    const withRegistry = await withDigitalOceanLogin(inputs);
    const results = await deployAll(withRegistry, context);
    report = {
      ...buildReport(context, startedAt, inputs.hosts, results, undefined, inputs.dryRun),
      ...where,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof InputError) && error instanceof Error && error.stack)
      core.debug(error.stack);
    const step = error instanceof InputError ? 'Reading inputs' : 'Running';
    report = { ...buildReport(context, startedAt, [], [], { step, message }), ...where };
  }
  setOutputs(report);
  await writeSummary(report).catch((error: unknown) =>
    core.warning(`could not write the job summary: ${String(error)}`),
  );
  await deployment.finish(report);
  try {
    const slack = await notifier.finish(report);
    if (slack.ts) core.setOutput('slack-ts', slack.ts);
  } catch (error) {
    // Only with slack-errors-fatal: true.
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
  if (report.status === 'failure') {
    core.setFailed(report.error ?? 'the deploy failed');
  } else {
    const verb = report.dryRun ? 'checked (dry run, nothing changed):' : 'deployed to';
    core.info(
      `${verb} ${report.hosts.map((host) => host.host).join(', ')} in ${Math.round(report.durationMs / 1000)} s`,
    );
  }
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

/**
 * Deploys to every host: all at once (up to `max-parallel`), or `rolling`, one by one, leaving
 * the rest untouched after a failure. The post step is told what each host may still hold.
 */
async function deployAll(inputs: Inputs, context: RunContext): Promise<HostResult[]> {
  const leftovers = new Map<string, string>();
  const jump = inputs.jumpHost ? jumpTunnel(inputs.jumpHost, inputs.setupTimeoutMs) : undefined;
  const parallel =
    inputs.strategy === 'parallel' ? Math.min(inputs.maxParallel, inputs.hosts.length) : 1;
  const results: (HostResult | undefined)[] = new Array(inputs.hosts.length);
  let stopped = false;
  let next = 0;
  const worker = async () => {
    while (next < inputs.hosts.length) {
      const index = next++;
      const host = inputs.hosts[index];
      if (stopped) {
        results[index] = skipped(host);
        continue;
      }
      const log = parallel > 1 ? bufferedLog(host) : streamingLog(host);
      results[index] = await deployHost(host, inputs, {
        connect: sshConnector(inputs, log, jump?.open),
        log,
        identity: identityOf(context),
        onLeftovers: (name, stagingDir) => {
          if (stagingDir) leftovers.set(name, stagingDir);
          else leftovers.delete(name);
          saveLeftovers(Object.fromEntries(leftovers));
        },
      });
      if (inputs.strategy === 'rolling' && results[index]?.status === 'failure') stopped = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: parallel }, worker));
  } finally {
    jump?.close();
  }
  return results.map((result, i) => result ?? skipped(inputs.hosts[i]));
}

function skipped(host: string): HostResult {
  return { host, status: 'skipped', rolledBack: false, images: [], history: [], durationMs: 0 };
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
