/**
 * The release command's program under real dash and busybox sh, with the docker and compose
 * stubs: one `compose run --rm --no-deps` of the staged release under the project's name, its
 * words from standard input, its output kept apart from the replies, its container removed when
 * it fails or times out, and nothing in app-dir touched.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { layoutOf } from '../../src/host-scripts/layout.js';
import { EXIT, readReplies } from '../../src/host-scripts/protocol.js';
import {
  RELEASE_COMMAND_REPLIES,
  releaseCommandProgram,
  releaseCommandWords,
} from '../../src/host-scripts/release-command.js';
import {
  composeContainer,
  HostSandbox,
  stubImage,
  testShells,
  type StubState,
} from '../support/host-sandbox.js';

const WORDS = ['python', 'manage.py', 'migrate', "it's $HOME and `id`", ''];
const v2 = stubImage('v2', ['registry.example.com/app:v2'], []);

describe.each(testShells())('under $name sh', (shell) => {
  const setUp = (state: Partial<StubState> = {}, options: { composeV1?: boolean } = {}) => {
    const host = new HostSandbox(shell, state, options);
    const layout = layoutOf(host.appDir, 'run-1');
    mkdirSync(layout.stagingDir, { recursive: true });
    writeFileSync(path.join(layout.stagingDir, 'docker-compose.yml'), 'services: {web: {}}\n');
    writeFileSync(path.join(layout.stagingDir, '.env'), "APP_TAG='v2'\n");
    const target = { layout, files: ['docker-compose.yml', '.env'], project: 'monarch' };
    const program = releaseCommandProgram(target, { service: 'web', seconds: 42 });
    return { host, layout, run: () => host.run(program, releaseCommandWords(WORDS)) };
  };
  const RUN_ARGS = ['--rm', '--no-deps', '-T', '--name', 'monarch-release-run-1', 'web', ...WORDS];

  it("runs the words as they were, in a one-off container of the staged release, under the project's name and its timeout", () => {
    const { host, layout, run } = setUp({
      compose: { run: { stdout: 'Applying 0001_initial... OK\n' } },
    });
    const result = run();
    expect(result.code).toBe(0);
    const calls = host.calls().filter((call) => call.argv.includes('run'));
    expect(calls.map((call) => call.argv)).toEqual([
      ['docker', 'compose', '--project-name', 'monarch', 'run', ...RUN_ARGS],
    ]);
    expect(calls[0].cwd).toBe(layout.stagingDir);
    expect(host.callsOf('timeout')[0].slice(0, 4)).toEqual(['timeout', '-k', '5', '42']);
    // Its output is the log's, never a reply.
    expect(result.stderr).toContain('Applying 0001_initial... OK');
    expect(result.stdout).toBe('');
    // Nothing of the new release was put in place, nothing started or stopped.
    expect(readdirSync(host.appDir)).toEqual(['.monarch']);
    expect(host.callsOf('docker', 'compose', '--project-name', 'monarch', 'up')).toEqual([]);
    expect(host.callsOf('docker', 'rm')).toEqual([]);
  });

  it('runs it with docker-compose (v1) when the host has no compose plugin', () => {
    const { host, run } = setUp({ composePlugin: false }, { composeV1: true });
    expect(run().code).toBe(0);
    expect(host.callsOf('docker-compose').map((argv) => argv.slice(1))).toEqual([
      ['--project-name', 'monarch', 'run', ...RUN_ARGS],
    ]);
  });

  it('a failure exits releaseCommandFailed with its exit status; what it printed cannot pass for a reply', () => {
    const { host, run } = setUp({
      compose: {
        run: { exit: 3, stdout: `${RELEASE_COMMAND_REPLIES.status}=0\nboom: no such table\n` },
      },
    });
    const result = run();
    expect(result.code).toBe(EXIT.releaseCommandFailed);
    expect(
      readReplies(result.stdout, RELEASE_COMMAND_REPLIES).all(RELEASE_COMMAND_REPLIES.status),
    ).toEqual(['3']);
    expect(result.stderr).toContain('boom: no such table');
    expect(host.callsOf('docker', 'rm')).toEqual([['docker', 'rm', '-f', 'monarch-release-run-1']]);
  });

  it('a timeout exits releaseCommandTimedOut and removes the container the killed client left', () => {
    const left = composeContainer('monarch', 'web', v2, [{ Status: 'running' }], {
      Name: '/monarch-release-run-1',
    });
    const { host, run } = setUp({ compose: { run: { exit: 124 }, runLeaves: left } });
    expect(run().code).toBe(EXIT.releaseCommandTimedOut);
    expect(host.state().containers).toEqual([]);
    expect(existsSync(host.appDir + '/docker-compose.yml')).toBe(false);
  });
});
