/**
 * What the workspace, the droplet or a container holds cannot leak a secret, write outside
 * app-dir, or steer the runner: attacks on a real droplet (OpenSSH, dockerd, compose) and
 * against a fake SSH server.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { deployInputs, WORKSPACE } from './fixtures.js';
import {
  containerEnv,
  dockerOn,
  droplet,
  loggedCommands,
  readyDroplets,
  servedVersion,
  sshdCtl,
  type Lab,
} from './lab.js';
import { runAction, type StepRun } from './runner.js';

let lab: Lab;

beforeAll(() => {
  lab = readyDroplets(1);
});
// Each attack starts from a blank droplet: one leaves links planted in app-dir.
beforeEach(() => {
  lab = readyDroplets(1);
});

/** The lines the runner reads from a step's output: .NET ReadLine ends one at \n and a lone \r. */
const runnerLines = (out: string) => out.split(/\r\n|\r|\n/);
/** The workflow commands the runner would run: `::` after spaces, or `##[` anywhere. */
function commands(run: StepRun): string[] {
  const lines = runnerLines(run.stdout + run.stderr);
  const found: string[] = [];
  let stopped: string | null = null;
  for (const line of lines) {
    const trimmed = line.trimStart();
    if (stopped) {
      if (trimmed === `::${stopped}::`) stopped = null;
      continue;
    }
    if (trimmed.startsWith('::stop-commands::'))
      stopped = trimmed.slice('::stop-commands::'.length);
    if (trimmed.startsWith('::') || line.includes('##[')) found.push(trimmed);
  }
  return found;
}
/** The regular files under `dir` (links not followed) whose content holds `text`. */
function filesHolding(dir: string, text: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesHolding(file, text);
    return entry.isFile() && readFileSync(file).includes(text) ? [file] : [];
  });
}

describe('the workspace', () => {
  it('a files: entry that links to /proc/self/environ fails before the host is touched', async () => {
    const before = loggedCommands(lab, 1).length;
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v1', { files: 'config/app.conf' }),
      workspaceFiles: { ...WORKSPACE, 'config/.keep': '' },
      beforeMain: (workspace) =>
        execFileSync('ln', ['-s', '/proc/self/environ', path.join(workspace, 'config/app.conf')]),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors[0]).toBe(
      "Invalid input 'files': expected a regular file in the workspace, but config/app.conf is a symbolic link",
    );
    expect(loggedCommands(lab, 1).length).toBe(before);
  });
});

describe('links planted by a container in app-dir', () => {
  const home = () => `/home/${lab.sshUser}`;
  const readable = () => path.join(home(), 'monarch-secret.txt');
  const writable = () => path.join(home(), 'monarch-writable.txt');
  const SECRET = 'TOP-SECRET-of-the-deploy-user';
  const ORIGINAL = 'ORIGINAL, never to be overwritten';
  const uid = () => statSync(home()).uid;

  beforeAll(() => {
    writeFileSync(readable(), SECRET, { mode: 0o600 });
    writeFileSync(writable(), ORIGINAL, { mode: 0o600 });
    chownSync(readable(), uid(), uid());
    chownSync(writable(), uid(), uid());
  });
  afterAll(() => {
    rmSync(readable(), { force: true });
    rmSync(writable(), { force: true });
  });

  /** A service that, once started, replaces app-dir files with links through its rw mounts. */
  const compose = (tag: string) => `services:
  web:
    image: \${IMAGE}:${tag}
    init: true
    env_file: .env
    ports: ["127.0.0.1:8080:8080"]
    volumes: ["./config:/etc/app", ".:/app"]
    command:
      - /bin/sh
      - -c
      - |
        ln -sfn ${readable()} /etc/app/app.conf
        ln -sfn ${writable()} /app/.env.planted && mv -f /app/.env.planted /app/.env
        ln -sfn ${writable()} /app/docker-compose.yml.planted && mv -f /app/docker-compose.yml.planted /app/docker-compose.yml
        ln -sfn ${writable()} /app/.monarch/history.log.planted && mv -f /app/.monarch/history.log.planted /app/.monarch/history.log
        ln -sfn ${readable()} /app/.monarch/lock.info.planted && mv -f /app/.monarch/lock.info.planted /app/.monarch/lock.info
        exec /bin/httpd -f -p 8080 -h /www
`;
  const deploy = (tag: string) =>
    runAction({
      inputs: deployInputs(lab, 1, tag, { files: 'config/app.conf' }),
      workspaceFiles: { 'docker-compose.yml': compose(tag), 'config/app.conf': `conf ${tag}` },
    });
  const appDir = () => path.join(droplet(lab, 1).opt, 'monarch');
  const expectSafe = () => {
    expect(readFileSync(readable(), 'utf8')).toBe(SECRET);
    expect(readFileSync(writable(), 'utf8')).toBe(ORIGINAL);
    expect(filesHolding(appDir(), SECRET)).toEqual([]);
  };
  const planted = () => {
    // Wait for the container to have planted its links.
    for (
      let i = 0;
      i < 50 && !lstatSync(path.join(appDir(), 'config/app.conf')).isSymbolicLink();
      i++
    )
      execFileSync('sleep', ['0.1']);
    expect(lstatSync(path.join(appDir(), 'config/app.conf')).isSymbolicLink()).toBe(true);
  };

  it('a deploy, a failed deploy rolled back, and the next deploy follow none of them', async () => {
    const first = await deploy('v1');
    expect(first.main.errors).toEqual([]);
    planted();
    expectSafe();

    const second = await deploy('v2');
    expect(second.main.errors).toEqual([]);
    expect(servedVersion(lab, 1)).toBe('v2');
    planted();
    expectSafe();

    const failed = await runAction({
      inputs: deployInputs(lab, 1, 'unhealthy', {
        files: 'config/app.conf',
        'health-timeout': '15',
      }),
      workspaceFiles: { 'docker-compose.yml': compose('unhealthy'), 'config/app.conf': 'conf bad' },
    });
    expect(failed.main.outputs['rolled-back']).toBe('true');
    planted();
    expectSafe();
    // The rollback put back the release as the action deployed it, not what the links say.
    expect(
      readFileSync(
        path.join(droplet(lab, 1).opt, 'monarch/.monarch/release/config/app.conf'),
        'utf8',
      ),
    ).toBe('conf v2');

    const next = await deploy('v1');
    expect(next.main.errors).toEqual([]);
    expect(servedVersion(lab, 1)).toBe('v1');
    planted();
    expectSafe();
    for (const run of [first, second, failed, next]) expect(run.main.stdout).not.toContain(SECRET);
  });
});

describe('compose files planted in app-dir', () => {
  /** What another user, an earlier deploy or a container may leave in app-dir. */
  const PLANTED = {
    // Compose merges it into the deploy when no file is named.
    'docker-compose.override.yml': `services:
  web:
    environment: { PLANTED_BY: override }
  planted:
    image: \${IMAGE}:v1
    command: ["/bin/sh", "-c", "exec sleep 600"]
`,
    // Compose v2 prefers it to docker-compose.yml.
    'compose.yaml': `services:
  web:
    image: \${IMAGE}:v1
    environment: { PLANTED_BY: compose.yaml }
  planted:
    image: \${IMAGE}:v1
    command: ["/bin/sh", "-c", "exec sleep 600"]
`,
  };

  it('change nothing: the deploy runs the uploaded file alone, with its own .env', async () => {
    const first = await runAction({
      inputs: deployInputs(lab, 1, 'v1'),
      workspaceFiles: WORKSPACE,
    });
    expect(first.main.errors).toEqual([]);
    const appDir = path.join(droplet(lab, 1).opt, 'monarch');
    for (const [name, content] of Object.entries(PLANTED))
      writeFileSync(path.join(appDir, name), content, { mode: 0o644 });

    const run = await runAction({ inputs: deployInputs(lab, 1, 'v2'), workspaceFiles: WORKSPACE });
    expect(run.main.errors).toEqual([]);
    expect(servedVersion(lab, 1)).toBe('v2');
    const services = dockerOn(lab, 1, [
      'ps',
      '--format',
      '{{.Label "com.docker.compose.service"}} {{.ID}}',
    ])
      .split('\n')
      .filter(Boolean);
    expect(services.map((line) => line.split(' ')[0])).toEqual(['web']);
    const env = containerEnv(lab, 1, services[0].split(' ')[1]);
    expect(env.PLANTED_BY).toBeUndefined();
    // The .env of the release was read (the image tag and the values come from it).
    expect(env.SECRET_KEY).toBe('s3cr3t-value-42');
  });
});

describe('what a container prints', () => {
  const HOSTILE_LOG = [
    '::add-mask::hostile-mask',
    '::stop-commands::hostile-token',
    '::warning file=app.js,line=1::hostile forged annotation',
    'before a lone CR\r::error::hostile after the CR',
    'legacy ##[add-mask]hostile-legacy',
    '<img src=x onerror=alert(1)>',
  ];
  const compose = `services:
  web:
    image: \${IMAGE}:v1
    init: true
    env_file: .env
    command: ["/bin/sh", "-c", "printf '${HOSTILE_LOG.join('\\n').replace(/\r/g, '\\r')}\\n'; exit 3"]
`;

  it('never reaches the log as a workflow command, nor the summary as HTML', async () => {
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v1', { 'health-timeout': '20' }),
      workspaceFiles: { 'docker-compose.yml': compose },
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors.join('\n')).toContain('exited with code 3');
    expect(run.main.errors.join('\n')).toContain('hostile forged annotation');
    const smuggledLines = commands(run.main).filter(
      (line) => /hostile/.test(line) && !/^::(error|warning|debug)::/.test(line),
    );
    expect(smuggledLines).toEqual([]);
    expect(commands(run.main).filter((line) => line.startsWith('::add-mask::hostile'))).toEqual([]);
    expect(run.main.summary).not.toContain('<img');
    expect(run.main.summary).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('a hostile SSH server', () => {
  let server: Server;
  let port = 0;
  const TEXT =
    'bye\n::add-mask::from-the-server\n::warning::forged by the server\r::error::after CR';

  /** SSH_MSG_DISCONNECT as the first packet, before any key exchange: RFC 4253 framing. */
  function disconnectPacket(text: string): Buffer {
    const description = Buffer.from(text);
    const payload = Buffer.concat([
      Buffer.from([1]),
      Buffer.from([0, 0, 0, 2]),
      Buffer.alloc(4),
      description,
      Buffer.alloc(4),
    ]);
    payload.writeUInt32BE(description.length, 5);
    let padding = 8 - ((payload.length + 5) % 8);
    if (padding < 4) padding += 8;
    const packet = Buffer.alloc(4 + 1 + payload.length + padding);
    packet.writeUInt32BE(1 + payload.length + padding, 0);
    packet[4] = padding;
    payload.copy(packet, 5);
    return packet;
  }

  beforeAll(async () => {
    server = createServer((socket) => {
      socket.write('SSH-2.0-hostile\r\n');
      socket.once('data', () => socket.end(disconnectPacket(TEXT)));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('its DISCONNECT text, sent before its key was checked, reaches the log as text only', async () => {
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v1', {
        host: '127.0.0.1',
        port: String(port),
        'setup-timeout': '4',
      }),
      workspaceFiles: WORKSPACE,
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.stdout).toContain('bye\\n::add-mask::from-the-server');
    expect(
      commands(run.main).filter(
        (line) =>
          /from-the-server|forged by the server|after CR/.test(line) &&
          !/^::(error|warning|debug)::/.test(line),
      ),
    ).toEqual([]);
  });
});

describe('a droplet that floods', () => {
  afterEach(() => {
    rmSync(
      path.join(
        path.dirname(droplet(lab, 1).commandLog),
        `flood-${path.basename(droplet(lab, 1).commandLog)}`,
      ),
      { force: true },
    );
    sshdCtl(lab, 1, 'kill-sessions');
  });

  it('100 MB from a remote command: bounded memory, and a clear error within its timeout', async () => {
    const log = droplet(lab, 1).commandLog;
    writeFileSync(
      path.join(path.dirname(log), `flood-${path.basename(log)}`),
      'monarch_pull_images',
    );
    const started = Date.now();
    const run = await runAction({
      inputs: deployInputs(lab, 1, 'v1', { 'command-timeout': '5' }),
      workspaceFiles: WORKSPACE,
      measureMemory: true,
    });
    expect(run.main.exitCode).toBe(1);
    // The flood outlives the host's own `timeout` (its writer holds the channel open), so the
    // runner's clock ends the step: the host answers, its command never reports its end.
    expect(run.main.errors.at(-1)).toMatch(
      /^10\.210\.0\.11 did not report the end of 'Uploading the release, logging in to 10\.210\.0\.1:5000, pulling images' within 20 s .*nothing that runs was changed yet/,
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(run.main.peakRssKb).toBeLessThan(150 * 1024);
  });
});

describe('a history line planted on the droplet', () => {
  const LINK = '[click](https://attacker.example/x)';
  const planted = {
    time: `2026-01-01T00:00:00Z\n\n${LINK}`,
    commit: '<img src=x onerror=alert(1)>',
    actor: `evil\n\n${LINK} <a href="https://attacker.example/y">link</a>\r\n\n![i](https://attacker.example/i.png)`,
    result: 'success',
    rolledBack: false,
    run: `\n\n${LINK}`,
  };

  it('shows in the summary as text in its table cell: the table intact, no live link or HTML', async () => {
    const first = await runAction({
      inputs: deployInputs(lab, 1, 'v1'),
      workspaceFiles: WORKSPACE,
    });
    expect(first.main.exitCode).toBe(0);
    // Appended as the host's own user would, keeping the file's owner and mode.
    appendFileSync(
      path.join(droplet(lab, 1).opt, 'monarch/.monarch/history.log'),
      `${JSON.stringify(planted)}\n`,
    );

    const run = await runAction({ inputs: deployInputs(lab, 1, 'v2'), workspaceFiles: WORKSPACE });
    expect(run.main.exitCode).toBe(0);
    const lines = run.main.summary.split('\n');
    const history = lines[lines.indexOf('<h3>Recent deploys</h3>') + 1];
    expect(history).toMatch(/^<table>.*<\/table>$/);
    // The planted entry, and the two real deploys around it, each a row of the table.
    expect(history.match(/<tr>/g)).toHaveLength(4);
    expect(history).toContain(
      'evil\\n\\n&#91;click&#93;&#40;https://attacker.example/x&#41; &lt;a',
    );
    // Every line but the run's facts is an HTML block of its own: none is Markdown text.
    const markdown = lines.filter((line) => line && !/^<(h\d|p|table|pre)>/.test(line));
    expect(markdown).toEqual([expect.stringMatching(/^Commit <code>[0-9a-f]{7}<\/code> by /)]);
    expect(run.main.summary).not.toContain('](https://attacker');
    expect(run.main.summary).not.toMatch(/<a href="https:\/\/attacker|<img/);
  });
});
