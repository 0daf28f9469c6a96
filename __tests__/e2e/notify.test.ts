/**
 * What the team sees, end to end on a real droplet: the Slack message posted at the start and
 * updated in place, the GitHub deployment and its statuses, and a droplet logged in with
 * short-lived DigitalOcean credentials. Slack, GitHub and DigitalOcean are local stand-ins.
 */
import { HttpStub, type RecordedRequest } from '../support/http-stub.js';
import { runAction } from './runner.js';
import { deployInputs, WORKSPACE } from './fixtures.js';
import { readyDroplets, loggedCommands, servedVersion, type Lab } from './lab.js';

let lab: Lab;
const slack = new HttpStub();
const github = new HttpStub();
const digitalOcean = new HttpStub();
const TS = '1796029920.000100';

beforeAll(async () => {
  lab = readyDroplets(1);
  await Promise.all([slack.start(), github.start(), digitalOcean.start()]);
});
afterAll(() => Promise.all([slack.stop(), github.stop(), digitalOcean.stop()]));
beforeEach(() => {
  for (const stub of [slack, github, digitalOcean]) stub.reset();
  slack.handler = (request) => ({
    json: { ok: true, channel: 'C0123456789', ts: TS, method: request.path },
  });
  github.handler = (request) =>
    request.path.endsWith('/deployments')
      ? { status: 201, json: { id: 77 } }
      : { status: 201, json: {} };
  const auth = Buffer.from(`${lab.registryUser}:${lab.registryPassword}`).toString('base64');
  digitalOcean.handler = () => ({ json: { auths: { 'registry.digitalocean.com': { auth } } } });
});

const env = () => ({
  MONARCH_SLACK_API_URL: `${slack.url}/api/`,
  GITHUB_API_URL: github.url,
  MONARCH_DIGITALOCEAN_API_URL: digitalOcean.url,
});
const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({
    inputs: deployInputs(lab, 1, tag, {
      'slack-bot-token': 'xoxb-test-token',
      'slack-channel': 'C0123456789',
      environment: 'production',
      'environment-url': 'https://monarch.example.com',
      'github-token': 'ghs_testtoken',
      ...over,
    }),
    workspaceFiles: WORKSPACE,
    env: env(),
  });
const body = (request: RecordedRequest) => request.body as Record<string, unknown>;

describe('telling the team', () => {
  it('posts "Deploying" then updates that one message; records a GitHub deployment in progress then success', async () => {
    const run = await deploy('v1');
    expect(run.main.exitCode).toBe(0);
    expect(slack.requests.map((r) => r.path)).toEqual([
      '/api/chat.postMessage',
      '/api/chat.update',
    ]);
    expect(slack.requests.every((r) => r.headers.authorization === 'Bearer xoxb-test-token')).toBe(
      true,
    );
    expect(JSON.stringify(body(slack.requests[0]))).toContain('Deploying');
    expect(body(slack.requests[1])).toMatchObject({ channel: 'C0123456789', ts: TS });
    expect(JSON.stringify(body(slack.requests[1]))).toContain('Deployed');
    expect(run.main.outputs['slack-ts']).toBe(TS);

    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/monarch/deployments',
      'POST /repos/acme/monarch/deployments/77/statuses',
      'POST /repos/acme/monarch/deployments/77/statuses',
    ]);
    expect(github.requests[0].headers.authorization).toMatch(
      /^token ghs_testtoken$|^Bearer ghs_testtoken$/,
    );
    expect(body(github.requests[0])).toMatchObject({
      ref: '0123456789abcdef0123456789abcdef01234567',
      environment: 'production',
    });
    expect(body(github.requests[1])).toMatchObject({ state: 'in_progress' });
    expect(body(github.requests[2])).toMatchObject({
      state: 'success',
      environment_url: 'https://monarch.example.com',
      log_url: 'https://github.com/acme/monarch/actions/runs/4242',
    });
    expect(run.main.outputs['deployment-id']).toBe('77');
  });

  it('a failed deploy updates the message with the failure and sets the deployment to failure', async () => {
    const run = await deploy('v404');
    expect(run.main.exitCode).toBe(1);
    expect(slack.requests.map((r) => r.path)).toEqual([
      '/api/chat.postMessage',
      '/api/chat.update',
    ]);
    const update = JSON.stringify(body(slack.requests[1]));
    expect(update).toContain('Deploy failed');
    expect(update).toContain('pulling images');
    expect(body(github.requests.at(-1)!)).toMatchObject({ state: 'failure' });
    expect(servedVersion(lab, 1)).toBe('v1');
  });

  it('a missing deployments permission is a warning that says which permission to add', async () => {
    github.handler = () => ({
      status: 403,
      json: { message: 'Resource not accessible by integration' },
    });
    const run = await deploy('v1');
    expect(run.main.exitCode).toBe(0);
    expect(run.main.warnings.join('\n')).toContain('deployments: write');
  });

  it('logs the droplet in with short-lived DigitalOcean credentials; the API token never reaches it', async () => {
    const run = await deploy('v2', {
      'digitalocean-token': 'dop_v1_full_scope_token',
      'registry-username': '',
      'registry-password': '',
      registry: lab.registry,
    });
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(servedVersion(lab, 1)).toBe('v2');
    expect(digitalOcean.requests).toHaveLength(1);
    expect(digitalOcean.requests[0]).toMatchObject({
      method: 'GET',
      path: '/v2/registry/docker-credentials',
      query: { read_write: 'false', expiry_seconds: expect.stringMatching(/^\d+$/) },
    });
    expect(digitalOcean.requests[0].headers.authorization).toBe('Bearer dop_v1_full_scope_token');
    const commands = loggedCommands(lab, 1)
      .map((c) => c.command ?? '')
      .join('\n');
    // The pull went through this run's docker config, which held DigitalOcean's login.
    expect(commands).toContain('export DOCKER_CONFIG=');
    expect(commands).not.toContain(lab.registryUser);
    expect(commands).not.toContain('dop_v1_full_scope_token');
    expect(commands).not.toContain(lab.registryPassword);
  });

  it('with notify-on: failure, a success posts nothing', async () => {
    const run = await deploy('v2', { 'notify-on': 'failure' });
    expect(run.main.exitCode).toBe(0);
    expect(slack.requests).toEqual([]);
  });
});
