/**
 * `release-command`: its inputs, how its line is split, and its place in a deploy against the
 * FakeHost: after the pull, before the start; nothing started when it fails; run once, on the
 * first host, with every other host's start waiting for it (rolling and parallel alike).
 */
import { jest } from '@jest/globals';
import { deployHost, type DeployDependencies } from '../../src/deploy/deploy-host.js';
import { deployFleet } from '../../src/deploy/fleet.js';
import { streamingLog } from '../../src/deploy/host-log.js';
import { releaseGate, type ReleaseGate } from '../../src/deploy/release-command.js';
import { EXIT } from '../../src/host-scripts/protocol.js';
import { getInputs } from '../../src/inputs/index.js';
import { splitCommandLine } from '../../src/inputs/release-command.js';
import type { ExecOptions, ExecResult } from '../../src/remote/host.js';
import type { ShellCommand } from '../../src/shell/command.js';
import { buildReport } from '../../src/report/deploy-report.js';
import { buildSlackMessage } from '../../src/notify/slack-message.js';
import type { Inputs } from '../../src/types/settings.js';
import { captureStdout } from '../support/capture.js';
import { FakeHost } from '../support/fake-host.js';
import { makeWorkspace, reader } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';
import { DETECT_REPLIES, MARKER_REPLIES } from '../../src/host-scripts/prepare.js';
import { KEEP_REPLIES } from '../../src/host-scripts/release.js';

const key = makeKey('ed25519');
let stdout: string;

beforeEach(() => {
  stdout = '';
  captureStdout((text) => (stdout += text));
});
afterEach(() => jest.restoreAllMocks());

const COMPOSE = 'services:\n  web:\n    image: app\n  worker:\n    image: app\n';
const BASE = {
  host: 'a',
  'ssh-private-key': key.privateKey,
  'host-fingerprint': key.fingerprint,
  env: 'SECRET_KEY=s3cr3t value',
  'release-command': "python manage.py migrate --label 'first run'",
};

function inputs(values: Record<string, string> = {}): Promise<Inputs> {
  return getInputs(
    reader({ ...BASE, ...values }),
    makeWorkspace({ 'docker-compose.yml': COMPOSE }),
  );
}

describe('the release-command inputs', () => {
  it('split into words, run in the first service, under command-timeout by default', async () => {
    const settings = await inputs({ 'command-timeout': '77' });
    expect(settings.releaseCommand).toEqual({
      line: "python manage.py migrate --label 'first run'",
      words: ['python', 'manage.py', 'migrate', '--label', 'first run'],
      service: 'web',
      timeoutMs: 77_000,
    });
  });

  it('take a service and a timeout of their own', async () => {
    const settings = await inputs({
      'release-command-service': 'worker',
      'release-command-timeout': '600',
    });
    expect(settings.releaseCommand).toMatchObject({ service: 'worker', timeoutMs: 600_000 });
  });

  it('are none by default', async () => {
    expect((await inputs({ 'release-command': '' })).releaseCommand).toBeNull();
  });

  it.each([
    [
      { 'release-command-service': 'db' },
      "Invalid input 'release-command-service': expected a service of the compose file (web, worker), got 'db'",
    ],
    [
      { 'release-command-timeout': '0' },
      "Invalid input 'release-command-timeout': expected a positive number of seconds (at most 86400), got '0'",
    ],
    [
      { 'release-command': '', 'release-command-service': 'web' },
      "Invalid input 'release-command-service': expected nothing unless 'release-command' is set",
    ],
    [
      { 'release-command': 'migrate && seed' },
      "Invalid input 'release-command': expected the words of one command, as compose's 'command:' takes them (no shell runs it): '&' would mean something only to a shell; for a shell, write sh -c '...'",
    ],
    [
      { mode: 'swarm' },
      "Invalid input 'release-command': expected nothing with mode 'swarm': a release command runs only in mode 'compose' (run it as a job of its own before the stack deploy)",
    ],
  ])('refuse %j before any host is contacted', async (values, message) => {
    await expect(inputs(values)).rejects.toThrow(message);
  });
});

describe('splitCommandLine', () => {
  it.each([
    ['python manage.py migrate', ['python', 'manage.py', 'migrate']],
    ['  a\t b  ', ['a', 'b']],
    [`sh -c 'migrate && seed $X'`, ['sh', '-c', 'migrate && seed $X']],
    [`echo "a \\"b\\" \\$c" d\\ e ''`, ['echo', 'a "b" $c', 'd e', '']],
    [`--url=a'b c'd`, ['--url=ab cd']],
  ])('%s', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  it.each([
    ['migrate; seed', "';'"],
    ['migrate | tee log', "'|'"],
    ['migrate > log', "'>'"],
    ['migrate $DATABASE_URL', "'$'"],
    ['migrate "$DATABASE_URL"', "'$' in double quotes"],
    ['rm *.pyc', "'*'"],
    ["echo 'open", 'a single quote that is never closed'],
    ['echo "open', 'a double quote that is never closed'],
    ['one\ntwo', 'a newline outside quotes'],
    ['# nothing', "'#'"],
  ])('refuses %j (%s)', (line, why) => {
    expect(() => splitCommandLine(line)).toThrow(why);
  });
});

const LOCKED = {
  stdout: `${MARKER_REPLIES.waited}=0\n${DETECT_REPLIES.user}=deploy\n${DETECT_REPLIES.compose}=docker compose\n`,
};
const WAIT = 'Waiting for the droplet';
const PULL = 'Uploading the release, pulling images';
const RELEASE = 'Running the release command';
const START = 'Starting containers';
const RECORD = 'Recording the failure';

/** A FakeHost whose commands take `delays[label]` ms, and that notes each in `order`. */
class SlowHost extends FakeHost {
  constructor(
    name: string,
    private readonly order: string[],
    private readonly delays: Record<string, number> = {},
  ) {
    super(name);
    this.answer(WAIT, LOCKED).answer(PULL, { stdout: `${KEEP_REPLIES.previous}=yes\n` });
  }

  override async exec(command: ShellCommand, options: ExecOptions): Promise<ExecResult> {
    const result = await super.exec(command, options);
    if (result.code === EXIT.notStarted) return result;
    await new Promise((resolve) => setTimeout(resolve, this.delays[options.label] ?? 0));
    this.order.push(`${this.name}: ${options.label}`);
    return result;
  }
}

function deps(host: FakeHost, gate?: ReleaseGate): DeployDependencies {
  return {
    connect: async () => host,
    log: streamingLog(host.name),
    identity: { runId: 'run-7-abc123', actor: 'octocat', commit: 'c0ffee', runUrl: 'u' },
    releaseGate: gate,
  };
}

describe('a deploy with a release command', () => {
  it('runs it after the pull and before the start, its words on standard input, never in a command line', async () => {
    const order: string[] = [];
    const host = new SlowHost('a', order).answer(RELEASE, {
      stderr: 'Applying 0001_initial... OK\n',
    });
    const settings = await inputs({ 'release-command-timeout': '90' });
    const result = await deployHost('a', settings, deps(host, releaseGate('a')));
    expect(result).toMatchObject({ status: 'success', rolledBack: false });
    expect(host.labels()).toEqual([WAIT, PULL, RELEASE, START]);
    const release = host.commands.find((c) => c.label === RELEASE)!;
    expect(release.stdin).toBe("python manage.py migrate --label 'first run'");
    expect(release.timeoutMs).toBe(120_000);
    expect(host.commandLines()).not.toContain('first run');
    expect(stdout).toContain('Applying 0001_initial... OK');
    expect(stdout).toContain('the release command succeeded');
  });

  it('a failed release command starts nothing, rolls nothing back, and says so', async () => {
    const host = new SlowHost('a', []).answer(RELEASE, {
      code: EXIT.releaseCommandFailed,
      stdout: 'release_status=3\n',
      stderr: 'Applying 0002_users...\ndjango.db.utils.OperationalError: no such table\n',
    });
    const result = await deployHost('a', await inputs(), deps(host, releaseGate('a')));
    expect(host.labels()).toEqual([WAIT, PULL, RELEASE, RECORD]);
    expect(result).toMatchObject({
      status: 'failure',
      rolledBack: false,
      releaseCommandFailed: true,
      failedStep: 'Running the release command in a one-off container of web',
    });
    expect(result.error).toBe(
      'the release command failed with exit status 3; nothing was switched, the previous release keeps running; its last lines:\n' +
        'Applying 0002_users...\ndjango.db.utils.OperationalError: no such table',
    );
    const report = buildReport(
      { sha: 'c0ffee', actor: 'octocat' } as never,
      new Date(),
      ['a'],
      [result],
    );
    expect(report).toMatchObject({ releaseCommandFailed: true, rolledBack: false });
    expect(buildSlackMessage(report).text).toContain(
      'Deploy failed: release command failed, nothing switched',
    );
  });

  it('a release command that times out is reported as one', async () => {
    const host = new SlowHost('a', []).answer(RELEASE, { code: EXIT.releaseCommandTimedOut });
    const settings = await inputs({ 'release-command-timeout': '5' });
    const result = await deployHost('a', settings, deps(host, releaseGate('a')));
    expect(host.labels()).not.toContain(START);
    expect(result.releaseCommandFailed).toBe(true);
    expect(result.error).toMatch(
      /^the release command failed: it did not finish within 'release-command-timeout' \(5 s\), was stopped and its container removed; nothing was switched/,
    );
  });

  it('a failed pull runs neither the release command nor the start', async () => {
    const host = new SlowHost('a', []).answer(PULL, { code: 1, stderr: 'manifest unknown' });
    const result = await deployHost('a', await inputs(), deps(host, releaseGate('a')));
    expect(host.labels()).toEqual([WAIT, PULL, RECORD]);
    expect(result.releaseCommandFailed).toBeUndefined();
  });

  it('a dry run says where it would run, and does not run it', async () => {
    const host = new FakeHost('a');
    const settings = await inputs({ 'dry-run': 'true', host: 'a\nb' });
    const result = await deployHost('a', settings, deps(host));
    expect(result.status).toBe('success');
    expect(host.labels()).toEqual(['Checking the droplet']);
    expect(stdout).toContain(
      'a deploy would run the release command once, on this host, in a one-off container of web (timeout 300 s), after the pull and before the switch; the dry run does not run it: ' +
        "python manage.py migrate --label 'first run'",
    );
    const other = await deployHost('b', settings, deps(new FakeHost('b')));
    expect(other.status).toBe('success');
    expect(stdout).toContain("on a (the run's first host), not here");
  });
});

describe('the release command across hosts', () => {
  const hosts = ['a', 'b', 'c'];
  const fleet = async (
    strategy: 'parallel' | 'rolling',
    answers: Record<string, Partial<ExecResult>> = {},
    delays: Record<string, number> = {},
  ) => {
    const order: string[] = [];
    const settings = await inputs({ host: hosts.join('\n'), strategy });
    const gate = releaseGate('a');
    const fakes = Object.fromEntries(
      hosts.map((name) => {
        const host = new SlowHost(name, order, name === 'a' ? delays : {});
        for (const [label, answer] of Object.entries(answers))
          if (name === 'a') host.answer(label, answer);
        return [name, host];
      }),
    );
    const results = await deployFleet(hosts, settings, (name) =>
      deployHost(name, settings, deps(fakes[name], gate)),
    );
    return { order, results, fakes };
  };

  it.each(['parallel', 'rolling'] as const)(
    '%s: runs once, on the first host, and no host starts before it succeeded',
    async (strategy) => {
      const { order, results, fakes } = await fleet(strategy, {}, { [RELEASE]: 50 });
      expect(results.map((r) => r.status)).toEqual(['success', 'success', 'success']);
      expect(order.filter((line) => line.endsWith(RELEASE))).toEqual([`a: ${RELEASE}`]);
      const released = order.indexOf(`a: ${RELEASE}`);
      for (const name of hosts)
        expect(order.indexOf(`${name}: ${START}`)).toBeGreaterThan(released);
      expect(fakes.b.labels()).toEqual([WAIT, PULL, START]);
    },
  );

  it('parallel: when it fails on the first host, no host switches', async () => {
    const { results, fakes } = await fleet(
      'parallel',
      { [RELEASE]: { code: EXIT.releaseCommandFailed, stdout: 'release_status=1\n' } },
      { [RELEASE]: 50 },
    );
    expect(results.map((r) => [r.status, r.releaseCommandFailed, r.rolledBack])).toEqual([
      ['failure', true, false],
      ['failure', true, false],
      ['failure', true, false],
    ]);
    for (const name of hosts) expect(fakes[name].labels()).not.toContain(START);
    expect(results[1].failedStep).toBe('Waiting for the release command on a');
    expect(results[1].error).toBe(
      'nothing was switched here: the release command did not succeed on a (the release command failed with exit status 1; nothing was switched, the previous release keeps running; it printed nothing)',
    );
  });

  it('rolling: when it fails on the first host, the others are left untouched', async () => {
    const { results, fakes } = await fleet('rolling', {
      [RELEASE]: { code: EXIT.releaseCommandFailed, stdout: 'release_status=1\n' },
    });
    expect(results.map((r) => r.status)).toEqual(['failure', 'skipped', 'skipped']);
    expect(fakes.b.labels()).toEqual([]);
  });

  it('parallel: when the first host fails before it, no host switches, and they say why', async () => {
    const { results, fakes } = await fleet('parallel', { [PULL]: { code: 1, stderr: 'no space' } });
    for (const name of hosts) expect(fakes[name].labels()).not.toContain(START);
    expect(results[2].error).toMatch(
      /^nothing was switched here: the release command did not succeed on a \(pulling the images failed/,
    );
    expect(results[2].releaseCommandFailed).toBeUndefined();
  });
});
