import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { getRunContext } from '../../src/context.js';
import { createDeploymentTracker, type DeploymentSettings } from '../../src/github/deployments.js';
import { HttpStub, type RecordedRequest, type StubAnswer } from '../support/http-stub.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const context = getRunContext({
  GITHUB_REPOSITORY: 'acme/monarch',
  GITHUB_SHA: SHA,
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '4242',
});
const RUN_URL = 'https://github.com/acme/monarch/actions/runs/4242';
const TOKEN = 'ghs_0123456789abcdefghijklmnopqrstuvwxyz';
const SETTINGS: DeploymentSettings = {
  token: TOKEN,
  environment: 'production',
  environmentUrl: 'https://app.example.com',
};
const SUCCESS = { status: 'success', rolledBack: false } as const;

let stub: HttpStub;
let stdout: string;

beforeAll(async () => {
  stub = await new HttpStub().start();
});
afterAll(() => stub.stop());
beforeEach(() => {
  stub.reset();
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

/** GitHub's answers: a deployment with id 42, and statuses. */
function github(request: RecordedRequest): StubAnswer {
  if (request.path.endsWith('/deployments')) return { status: 201, json: { id: 42 } };
  return { status: 201, json: { id: 7, state: (request.body as { state: string }).state } };
}

function tracker(settings: Partial<DeploymentSettings> = {}, apiPath = '') {
  return createDeploymentTracker({ ...SETTINGS, ...settings }, context, {
    env: { GITHUB_API_URL: stub.url + apiPath },
    timeoutMs: 500,
  });
}

function warnings(): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::warning::'))
    .map((line) => line.slice('::warning::'.length));
}

describe('GitHub deployment', () => {
  it('creates a deployment for the commit, in progress, then success with both URLs', async () => {
    stub.handler = github;
    const deployment = tracker();
    await expect(deployment.start()).resolves.toBe(42);
    await deployment.finish(SUCCESS);

    expect(stub.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/repos/acme/monarch/deployments'],
      ['POST', '/repos/acme/monarch/deployments/42/statuses'],
      ['POST', '/repos/acme/monarch/deployments/42/statuses'],
    ]);
    for (const request of stub.requests) {
      expect(request.headers.authorization).toBe(`token ${TOKEN}`);
      expect(request.headers.accept).toBe('application/vnd.github.v3+json');
    }
    expect(stub.requests[0].body).toEqual({
      ref: SHA,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      description: 'monarch-deploy of 0123456',
    });
    expect(stub.requests[1].body).toEqual({
      state: 'in_progress',
      description: 'Deploying',
      log_url: RUN_URL,
    });
    expect(stub.requests[2].body).toEqual({
      state: 'success',
      description: 'Deployed',
      log_url: RUN_URL,
      environment_url: 'https://app.example.com',
    });
    expect(warnings()).toEqual([]);
  });

  it('sets failure with the failed step, and says when it was rolled back', async () => {
    stub.handler = github;
    const deployment = tracker({ environmentUrl: '' });
    await deployment.start();
    await deployment.finish({
      status: 'failure',
      rolledBack: true,
      failedStep: '10.0.0.2: Checking health',
    });
    expect(stub.requests[2].body).toEqual({
      state: 'failure',
      description: 'Failed at 10.0.0.2: Checking health, rolled back',
      log_url: RUN_URL,
    });
  });

  it('reaches GitHub Enterprise under its /api/v3 path', async () => {
    stub.handler = github;
    await tracker({}, '/api/v3').start();
    expect(stub.requests[0].path).toBe('/api/v3/repos/acme/monarch/deployments');
  });

  it('makes no API call at all without an environment', async () => {
    stub.handler = github;
    for (const environment of [undefined, '', '  ']) {
      const deployment = tracker({ environment });
      await expect(deployment.start()).resolves.toBeUndefined();
      await deployment.finish(SUCCESS);
    }
    expect(stub.requests).toHaveLength(0);
    expect(stdout).toBe('');
  });

  it('on 403 warns to add deployments: write, and stops there', async () => {
    stub.handler = () => ({
      status: 403,
      json: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/deployments/deployments',
      },
    });
    const deployment = tracker();
    await expect(deployment.start()).resolves.toBeUndefined();
    await deployment.finish(SUCCESS);
    expect(stub.requests).toHaveLength(1);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(
      /^could not create the GitHub deployment for 'production': the token may not write deployments \(HTTP 403: Resource not accessible by integration.*\)\. Add `permissions: deployments: write` to the job\.$/,
    );
  });

  it('warns on any other failure and never throws', async () => {
    stub.reply({ status: 500, json: { message: 'Server Error' } });
    await expect(tracker().start()).resolves.toBeUndefined();
    expect(warnings()).toEqual([
      "could not create the GitHub deployment for 'production': HTTP 500: Server Error",
    ]);
  });

  it('still finishes the deployment when marking it in progress failed', async () => {
    stub.reply({ status: 201, json: { id: 42 } }, { status: 502, text: 'Bad Gateway' });
    stub.handler = github;
    const deployment = tracker();
    await expect(deployment.start()).resolves.toBe(42);
    await deployment.finish(SUCCESS);
    expect(stub.requests).toHaveLength(3);
    expect(warnings()).toEqual([
      expect.stringContaining('could not mark GitHub deployment 42 in progress'),
    ]);
  });

  it('gives up on an API that never answers', async () => {
    stub.reply('hang');
    await expect(tracker().start()).resolves.toBeUndefined();
    expect(warnings()).toEqual([
      "could not create the GitHub deployment for 'production': GitHub did not answer within 0.5 s",
    ]);
  });

  it('warns instead of calling the API without a token', async () => {
    await expect(tracker({ token: '' }).start()).resolves.toBeUndefined();
    expect(stub.requests).toHaveLength(0);
    expect(warnings()).toEqual(["no GitHub deployment for 'production': 'github-token' is empty"]);
  });
});
