import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import {
  DigitalOceanError,
  digitalOceanApiUrl,
  fetchDigitalOceanRegistryLogin,
  type DigitalOceanOptions,
} from '../../src/registry/digitalocean.js';
import { HttpStub, type StubAnswer } from '../support/http-stub.js';
import { forgetSecrets } from '../../src/secrets.js';

const TOKEN = 'dop_v1_0123456789abcdef0123456789abcdef';
const USER = 'c2f1e0d9-registry-user';
const PASSWORD = 'dop_v1_registry_readonly_secret';
const AUTH = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
const DOCKER_CONFIG = { auths: { 'registry.digitalocean.com': { auth: AUTH } } };

let stub: HttpStub;
let stdout: string;

beforeAll(async () => {
  stub = await new HttpStub().start();
});
afterAll(() => stub.stop());
beforeEach(() => {
  // Each secret is registered with the runner once per run: each test is a run of its own.
  forgetSecrets();
  stub.reset();
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

function options(): DigitalOceanOptions {
  return { env: { MONARCH_DIGITALOCEAN_API_URL: stub.url }, timeoutMs: 500 };
}

/** The error the call rejects with, for several assertions on one failure. */
async function failure(answer: StubAnswer): Promise<Error> {
  stub.reply(answer);
  const error = await fetchDigitalOceanRegistryLogin(TOKEN, 600, options()).then(
    () => new Error('expected a rejection'),
    (caught: unknown) => caught as Error,
  );
  expect(error).toBeInstanceOf(DigitalOceanError);
  return error;
}

describe('fetchDigitalOceanRegistryLogin', () => {
  it('asks for read-only credentials and returns them as a docker login', async () => {
    stub.reply({ json: DOCKER_CONFIG });
    await expect(fetchDigitalOceanRegistryLogin(TOKEN, 600, options())).resolves.toEqual({
      server: 'registry.digitalocean.com',
      username: USER,
      password: PASSWORD,
    });
    expect(stub.requests).toHaveLength(1);
    const [request] = stub.requests;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/v2/registry/docker-credentials');
    expect(request.query).toEqual({ expiry_seconds: '600', read_write: 'false' });
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.rawBody).toBe('');
  });

  it('masks the password, the auth string and the user before anything can log them', async () => {
    stub.reply({ json: DOCKER_CONFIG });
    await fetchDigitalOceanRegistryLogin(TOKEN, 600, options());
    for (const secret of [PASSWORD, AUTH, USER]) expect(stdout).toContain(`::add-mask::${secret}`);
  });

  it('says what to do about a rejected token, without quoting it', async () => {
    const error = await failure({
      status: 401,
      json: { id: 'unauthorized', message: 'Unable to authenticate you' },
    });
    expect(error.message).toBe(
      "DigitalOcean refused 'digitalocean-token' (HTTP 401: Unable to authenticate you): the token is invalid or expired, or lacks the registry read scope; create one with registry read access and store it as the secret you pass as digitalocean-token",
    );
    expect(error.message).not.toContain(TOKEN);
  });

  it('names the status of any other HTTP error', async () => {
    expect((await failure({ status: 500, text: 'oops' })).message).toBe(
      'the DigitalOcean registry credentials request failed (HTTP 500)',
    );
    expect(
      (await failure({ status: 404, json: { id: 'not_found', message: 'no registry' } })).message,
    ).toBe(
      'the DigitalOcean registry credentials request failed (HTTP 404: no registry): does this account have a container registry?',
    );
  });

  it.each<[string, unknown]>([
    ['not JSON', 'not json'],
    ['no auths["registry.digitalocean.com"].auth', { auths: {} }],
    ['no auths["registry.digitalocean.com"].auth', { auths: { 'registry.digitalocean.com': {} } }],
    [
      'auth is not base64 of user:password',
      {
        auths: { 'registry.digitalocean.com': { auth: Buffer.from('nocolon').toString('base64') } },
      },
    ],
    [
      'auth is not base64 of user:password',
      { auths: { 'registry.digitalocean.com': { auth: '%%%' } } },
    ],
  ])('refuses a malformed answer (%s) without quoting it', async (what, body) => {
    const error = await failure(typeof body === 'string' ? { text: body } : { json: body });
    expect(error.message).toBe(
      `the DigitalOcean API answered something that is not a docker login (${what}); is MONARCH_DIGITALOCEAN_API_URL (if set) right?`,
    );
    expect(error.message).not.toContain('bm9jb2xvbg');
  });

  it('gives up on an API that never answers', async () => {
    const error = await failure('hang');
    expect(error.message).toBe('the DigitalOcean API did not answer within 0.5 s');
  });

  it('refuses a bad lifetime or an empty token before calling the API', async () => {
    await expect(fetchDigitalOceanRegistryLogin(TOKEN, 0, options())).rejects.toThrow(
      "the credentials' lifetime must be a whole number of seconds, got 0",
    );
    await expect(fetchDigitalOceanRegistryLogin('', 600, options())).rejects.toThrow(
      "'digitalocean-token' is empty",
    );
    expect(stub.requests).toHaveLength(0);
  });
});

describe('digitalOceanApiUrl', () => {
  it('is api.digitalocean.com unless MONARCH_DIGITALOCEAN_API_URL says otherwise', () => {
    expect(digitalOceanApiUrl({})).toBe('https://api.digitalocean.com');
    expect(digitalOceanApiUrl({ MONARCH_DIGITALOCEAN_API_URL: 'http://127.0.0.1:9/' })).toBe(
      'http://127.0.0.1:9',
    );
  });
});
