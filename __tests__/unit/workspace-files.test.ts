/**
 * A workspace file a pull request slipped in cannot make the action upload what lies outside
 * the workspace: links, devices, pipes, folders and /proc files are refused, by input and path,
 * before any host is contacted.
 */
import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getInputs } from '../../src/inputs/index.js';
import { captureStdout } from '../support/capture.js';
import { makeWorkspace, reader, COMPOSE } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';

const key = makeKey('ed25519');
let workspace: string;

beforeEach(() => {
  workspace = makeWorkspace({ 'app.conf': 'listen 80;' });
  mkdirSync(path.join(workspace, 'config'));
  captureStdout(() => {});
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.RUNNER_TEMP;
});

const parse = (values: Record<string, string>) =>
  getInputs(
    reader({
      host: 'd',
      'ssh-private-key': key.privateKey,
      'host-fingerprint': key.fingerprint,
      ...values,
    }),
    workspace,
  );
const at = (...parts: string[]) => path.join(workspace, ...parts);

describe('files and compose-file from the workspace', () => {
  it('reads a regular file, keeping its mode, and uploads what was read', async () => {
    writeFileSync(at('config/app.conf'), 'conf', { mode: 0o640 });
    const [file] = (await parse({ files: 'config/app.conf' })).files;
    expect(file).toMatchObject({ remoteName: 'config/app.conf', mode: 0o640 });
    expect(file.content.toString()).toBe('conf');
  });

  it('allows a link to a folder that stays inside the workspace', async () => {
    writeFileSync(at('config/app.conf'), 'conf');
    symlinkSync(at('config'), at('conf.d'));
    expect((await parse({ files: 'conf.d/app.conf' })).files[0].content.toString()).toBe('conf');
  });

  it.each([
    [
      "a link to /proc/self/environ (the action's own environment)",
      () => symlinkSync('/proc/self/environ', at('config/app.conf')),
      "Invalid input 'files': expected a regular file in the workspace, but config/app.conf is a symbolic link",
    ],
    [
      'a link to another workspace file',
      () => symlinkSync(at('app.conf'), at('config/app.conf')),
      "Invalid input 'files': expected a regular file in the workspace, but config/app.conf is a symbolic link",
    ],
    [
      'a file under a linked folder that leads out of the workspace',
      () => {
        const outside = mkdtempSync(path.join(tmpdir(), 'monarch-outside-'));
        writeFileSync(path.join(outside, 'app.conf'), 'secret');
        execFileSync('rm', ['-r', at('config')]);
        symlinkSync(outside, at('config'));
      },
      /^Invalid input 'files': expected a file inside the workspace, but config\/app\.conf is \/tmp\/monarch-outside-\w+\/app\.conf, outside it$/,
    ],
    [
      'a named pipe',
      () => execFileSync('mkfifo', [at('config/app.conf')]),
      "Invalid input 'files': expected a regular file in the workspace, but config/app.conf is a named pipe",
    ],
    [
      'a folder',
      () => mkdirSync(at('config/app.conf')),
      "Invalid input 'files': expected a regular file in the workspace, but config/app.conf is a folder",
    ],
    [
      'a missing file',
      () => {},
      "Invalid input 'files': expected a file in the workspace, but config/app.conf does not exist",
    ],
  ])('refuses %s', async (_, plant, message) => {
    plant();
    await expect(parse({ files: 'config/app.conf' })).rejects.toThrow(message);
  });

  it.each(['-rf', 'config/-x', 'config/.monarch-tmp.1', '.monarch/lock', '../etc/passwd'])(
    'refuses the name %j',
    async (entry) => {
      await expect(parse({ files: entry })).rejects.toThrow(
        /^Invalid input 'files': expected files/,
      );
    },
  );

  it('refuses a compose file that is a link, or a device', async () => {
    symlinkSync(at('docker-compose.yml'), at('linked.yml'));
    await expect(parse({ 'compose-file': 'linked.yml' })).rejects.toThrow(
      /^Invalid input 'compose-file': expected a regular file in the workspace, but .*linked\.yml is a symbolic link$/,
    );
    await expect(parse({ 'compose-file': '/dev/zero' })).rejects.toThrow(
      "Invalid input 'compose-file': expected a regular file in the workspace, but /dev/zero is a device",
    );
    await expect(parse({ 'compose-file': '/etc/hostname' })).rejects.toThrow(
      /expected a file inside the workspace, but \/etc\/hostname is \/etc\/hostname, outside it/,
    );
  });

  it('takes a compose file an earlier step rendered into RUNNER_TEMP', async () => {
    process.env.RUNNER_TEMP = mkdtempSync(path.join(tmpdir(), 'monarch-runner-temp-'));
    const rendered = path.join(process.env.RUNNER_TEMP, 'compose.yml');
    writeFileSync(rendered, COMPOSE);
    expect((await parse({ 'compose-file': rendered })).composeContent.toString()).toBe(COMPOSE);
  });
});
