/**
 * A GitHub Deployment for the run, so the repository's Environments page shows what runs where:
 * created for the commit when the deploy starts, `in_progress`, then `success` or `failure`
 * with the environment URL and a link to the run. Only with `environment` set; without it no
 * API call is made. A failure here is a warning: it never fails the deploy.
 */
import { oneLine } from '../remote-text.js';
import * as core from '@actions/core';
import type { getOctokit } from '@actions/github';
import { boundedFetch, type FetchLike } from '../http/bounded-body.js';
import { loadUndici } from '../vendor/undici-lazy.js';
import type { DeployReport, RunContext } from '../types/report.js';

/** The inputs a deployment needs. */
export interface DeploymentSettings {
  /** `github-token` (default `${{ github.token }}`); needs `deployments: write`. */
  readonly token: string;
  /** `environment`; empty or undefined means no deployment at all. */
  readonly environment?: string;
  /** `environment-url`, shown on the deployment and the Environments page. */
  readonly environmentUrl?: string;
}

/** What tests replace: the environment (`GITHUB_API_URL`) and the time allowed per call. */
export interface DeploymentOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** The deployment of one run. */
export interface DeploymentTracker {
  /**
   * Creates the deployment and sets it `in_progress`; resolves to its id (the `deployment-id`
   * output), or undefined when there is none (no environment, or the API refused). Never throws.
   */
  start(): Promise<number | undefined>;
  /** Sets `success` or `failure` on the deployment `start` created, if any. Never throws. */
  finish(report: Pick<DeployReport, 'status' | 'rolledBack' | 'failedStep'>): Promise<void>;
}

const DESCRIPTION_LIMIT = 140;
const PERMISSION_FIX = 'Add `permissions: deployments: write` to the job.';

/** The deployment tracker for `settings`; a no-op without an environment. */
export function createDeploymentTracker(
  settings: DeploymentSettings,
  context: RunContext,
  options: DeploymentOptions = {},
): DeploymentTracker {
  const environment = settings.environment?.trim();
  if (!environment) return { start: async () => undefined, finish: async () => undefined };
  return new GitHubDeployment(settings, environment, context, options);
}

/** The deployment of one run, through the REST API. */
class GitHubDeployment implements DeploymentTracker {
  private id?: number;
  // Made on first use: without an environment nothing of Octokit runs.
  private client?: ReturnType<typeof getOctokit>;
  private readonly owner: string;
  private readonly repo: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: DeploymentSettings,
    private readonly environment: string,
    private readonly context: RunContext,
    private readonly options: DeploymentOptions,
  ) {
    [this.owner, this.repo] = context.repository.split('/');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async start(): Promise<number | undefined> {
    const { settings, context, environment } = this;
    if (!settings.token || !this.owner || !this.repo || !context.sha) {
      core.warning(
        `no GitHub deployment for '${environment}': ${!settings.token ? "'github-token' is empty" : 'GITHUB_REPOSITORY or GITHUB_SHA is not set'}`,
      );
      return undefined;
    }
    try {
      this.id = await this.create();
      core.info(`GitHub deployment ${this.id} created for environment '${environment}'`);
    } catch (error) {
      core.warning(
        `could not create the GitHub deployment for '${environment}': ${explain(error)}`,
      );
      return undefined;
    }
    try {
      await this.setStatus(this.id, 'in_progress', 'Deploying');
    } catch (error) {
      core.warning(`could not mark GitHub deployment ${this.id} in progress: ${explain(error)}`);
    }
    return this.id;
  }

  async finish(report: Pick<DeployReport, 'status' | 'rolledBack' | 'failedStep'>): Promise<void> {
    if (this.id === undefined) return;
    const description =
      report.status === 'success'
        ? 'Deployed'
        : `Failed${report.failedStep ? ` at ${report.failedStep}` : ''}${report.rolledBack ? ', rolled back' : ''}`;
    try {
      await this.setStatus(this.id, report.status, description);
      core.info(`GitHub deployment ${this.id}: ${report.status}`);
    } catch (error) {
      core.warning(
        `could not set GitHub deployment ${this.id} to ${report.status}: ${explain(error)}`,
      );
    }
  }

  /** Octokit, loaded on first use: a run without a deployment never loads it. */
  private async octokit(): Promise<ReturnType<typeof getOctokit>> {
    const env = this.options.env ?? process.env;
    await loadUndici();
    const { getOctokit } = await import('@actions/github');
    // The defaults hold the runner's proxy settings; the fetch keeps them and bounds each answer.
    const { defaults } = await import('@actions/github/lib/utils');
    const proxyFetch = (defaults.request?.fetch ?? fetch) as FetchLike;
    return (this.client ??= getOctokit(this.settings.token, {
      baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
      request: { ...defaults.request, fetch: boundedFetch(proxyFetch, 'the GitHub API') },
      userAgent: 'monarch-deploy',
      // Octokit prints its own warnings (deprecations) to the console; keep them to debug.
      log: { debug: core.debug, info: core.debug, warn: core.debug, error: core.debug },
    }));
  }

  private async create(): Promise<number> {
    const octokit = await this.octokit();
    const { data } = await withTimeout(this.timeoutMs, (signal) =>
      octokit.rest.repos.createDeployment({
        owner: this.owner,
        repo: this.repo,
        ref: this.context.sha,
        environment: this.environment,
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        description: clip(`monarch-deploy of ${this.context.sha.slice(0, 7)}`),
        request: { signal },
      }),
    );
    // 202 (a merge message instead of a deployment) only happens with auto_merge.
    if (!('id' in data))
      throw new Error(`GitHub did not create it: ${oneLine(data.message ?? '')}`);
    if (!Number.isSafeInteger(data.id)) throw new Error('GitHub answered without a deployment id');
    return data.id;
  }

  private async setStatus(
    deploymentId: number,
    state: 'in_progress' | 'success' | 'failure',
    description: string,
  ): Promise<unknown> {
    const url = this.settings.environmentUrl;
    const octokit = await this.octokit();
    return withTimeout(this.timeoutMs, (signal) =>
      octokit.rest.repos.createDeploymentStatus({
        owner: this.owner,
        repo: this.repo,
        deployment_id: deploymentId,
        state,
        description: clip(description),
        log_url: this.context.runUrl || undefined,
        ...(state !== 'in_progress' && url ? { environment_url: url } : {}),
        request: { signal },
      }),
    );
  }
}

/** Runs one API call under the time limit; running out becomes an error that says so. */
async function withTimeout<T>(
  timeoutMs: number,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await call(signal);
  } catch (error) {
    if (signal.aborted) {
      throw new Error(`GitHub did not answer within ${timeoutMs / 1000} s`, { cause: error });
    }
    throw error;
  }
}

/** What went wrong, and what to do when that is known. */
function explain(error: unknown): string {
  const status = httpStatus(error);
  const message = oneLine((error instanceof Error ? error.message : String(error)).split('\n')[0]);
  const http = status ? `HTTP ${status}: ` : '';
  if (status === 403 || /resource not accessible by integration/i.test(message)) {
    return `the token may not write deployments (${http}${message}). ${PERMISSION_FIX}`;
  }
  if (status === 401) return `${http}${message}; check 'github-token'`;
  if (status === 404) {
    return `${http}${message}; the repository or commit is not visible to 'github-token'`;
  }
  return `${http}${message}`;
}

/**
 * The HTTP status of Octokit's RequestError when GitHub answered. Octokit also says 500 for a
 * request that got no answer at all; only a `response` proves there was one.
 */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, response } = error as { status?: unknown; response?: unknown };
  return response && typeof status === 'number' ? status : undefined;
}

function clip(text: string): string {
  return text.length <= DESCRIPTION_LIMIT ? text : text.slice(0, DESCRIPTION_LIMIT - 1) + '…';
}
