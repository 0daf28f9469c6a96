/**
 * Keeping the running release, pulling with this run's own login, moving the staged release in,
 * starting it, reporting what runs, putting the previous release back, and the history.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HISTORY_REPLIES, recordHistory } from '../../src/host-scripts/history.js';
import { DOCKER_CONFIG_DIR, layoutOf } from '../../src/host-scripts/layout.js';
import { EXIT, readReplies } from '../../src/host-scripts/protocol.js';
import {
  commitRelease,
  IMAGE_REPLIES,
  installRelease,
  KEEP_REPLIES,
  keepRelease,
  listContainers,
  pullImages,
  reportImages,
  startContainers,
} from '../../src/host-scripts/release.js';
import { restoreRelease, retagPrevious } from '../../src/host-scripts/rollback.js';
import { call } from '../../src/host-scripts/script.js';
import { sh } from '../../src/shell/command.js';
import {
  composeContainer,
  HostSandbox,
  stubImage,
  testShells,
  type StubState,
} from '../support/host-sandbox.js';

const FILES = ['docker-compose.yml', '.env', 'config/app.conf'];
const COMPOSE = sh`docker compose`;
const v1 = stubImage(
  'v1',
  ['registry.example.com/app:v1'],
  ['registry.example.com/app@sha256:1111'],
);
const AUTH = Buffer.from('robot:pa55').toString('base64');

describe.each(testShells())('under $name sh', (shell) => {
  const setUp = (state: Partial<StubState> = {}) => {
    const host = new HostSandbox(shell, state);
    const layout = layoutOf(host.appDir, 'run-1');
    mkdirSync(layout.stateDir, { recursive: true });
    return { host, layout };
  };
  const stage = (layout: ReturnType<typeof layoutOf>, files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      const file = path.join(layout.stagingDir, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  };

  describe('keepRelease', () => {
    it('on a first deploy keeps nothing and says there is no previous release', () => {
      const { host, layout } = setUp();
      const run = host.run(call(keepRelease(layout, FILES, 'monarch')));
      expect(run.code).toBe(0);
      expect(readReplies(run.stdout, KEEP_REPLIES).get(KEEP_REPLIES.previous)).toBeUndefined();
      expect(existsSync(layout.releaseDir)).toBe(false);
      expect(readFileSync(layout.rollbackImages, 'utf8')).toBe('');
    });

    it("with the action's own copy of the running release, keeps it as it is and records the images", () => {
      const running = composeContainer('monarch', 'web', v1);
      const { host, layout } = setUp({ containers: [running], images: [v1] });
      host.writeAppFile('docker-compose.yml', 'changed in app-dir by someone');
      host.writeAppFile('.monarch/release/docker-compose.yml', 'as deployed');
      const run = host.run(call(keepRelease(layout, FILES, 'monarch')));
      expect(readReplies(run.stdout, KEEP_REPLIES).get(KEEP_REPLIES.previous)).toBe('yes');
      expect(readFileSync(`${layout.releaseDir}/docker-compose.yml`, 'utf8')).toBe('as deployed');
      expect(readFileSync(layout.rollbackImages, 'utf8')).toBe(
        `registry.example.com/app:v1 ${v1.ID}\n`,
      );
    });

    it('without one (app-dir deployed by an older version), makes it from app-dir', () => {
      const { host, layout } = setUp();
      host.writeAppFile('docker-compose.yml', 'services: {}\n');
      host.writeAppFile('.env', "A='1'\n", 0o600);
      host.writeAppFile('config/app.conf', 'conf v1\n');
      const run = host.run(call(keepRelease(layout, FILES, 'monarch')));
      expect(readReplies(run.stdout, KEEP_REPLIES).get(KEEP_REPLIES.previous)).toBe('yes');
      expect(readFileSync(`${layout.releaseDir}/config/app.conf`, 'utf8')).toBe('conf v1\n');
      expect(statSync(`${layout.releaseDir}/.env`).mode & 0o777).toBe(0o600);
    });
  });

  describe('pullImages', () => {
    it("pulls in the staging folder under app-dir's project name", () => {
      const { host, layout } = setUp();
      stage(layout, { 'docker-compose.yml': 'services: {}\n' });
      const run = host.run(call(pullImages(layout, COMPOSE, 'monarch', null)));
      expect(run.code).toBe(0);
      const [pull] = host.calls().filter((c) => c.argv.includes('pull'));
      expect(pull).toMatchObject({
        argv: [
          'docker',
          'compose',
          '--file',
          'docker-compose.yml',
          '--project-name',
          'monarch',
          'pull',
          '--quiet',
        ],
        cwd: layout.stagingDir,
        dockerConfig: null,
      });
    });

    it('passes a failed pull on, with its errors', () => {
      const { host, layout } = setUp({
        compose: { pull: { exit: 1, stderr: 'manifest unknown\n' } },
      });
      stage(layout, { 'docker-compose.yml': '' });
      const run = host.run(call(pullImages(layout, COMPOSE, 'monarch', null)));
      expect(run).toMatchObject({ code: 1, stderr: 'manifest unknown\n' });
    });

    it("logs in through this run's docker config only, and removes it after the pull", () => {
      const { host, layout } = setUp({
        registry: { 'registry.example.com': AUTH },
        compose: { pullFrom: 'registry.example.com' },
      });
      const config = path.join(layout.stagingDir, DOCKER_CONFIG_DIR);
      stage(layout, {
        'docker-compose.yml': '',
        [`${DOCKER_CONFIG_DIR}/config.json`]: JSON.stringify({
          auths: { 'registry.example.com': { auth: AUTH } },
        }),
      });
      mkdirSync(path.join(host.root, 'home/.docker/cli-plugins'), { recursive: true });
      const login = { server: 'registry.example.com', keep: false };
      const run = host.run(call(pullImages(layout, COMPOSE, 'monarch', login)));
      expect(run.code).toBe(0);
      const calls = host.calls().filter((c) => c.argv[0] === 'docker');
      // The pull is the login's check: one exchange with the registry, no `docker login`.
      expect(calls.map((c) => [c.argv[1], c.dockerConfig])).toEqual([['compose', config]]);
      expect(existsSync(config)).toBe(false);
      expect(existsSync(layout.dockerConfigDir)).toBe(false);
    });

    it('a refused login exits loginFailed with its error, and leaves no login behind', () => {
      const { host, layout } = setUp({
        registry: { 'registry.example.com': 'another' },
        compose: { pullFrom: 'registry.example.com' },
      });
      stage(layout, {
        'docker-compose.yml': '',
        [`${DOCKER_CONFIG_DIR}/config.json`]: JSON.stringify({
          auths: { 'registry.example.com': { auth: AUTH } },
        }),
      });
      const login = { server: 'registry.example.com', keep: false };
      const run = host.run(call(pullImages(layout, COMPOSE, 'monarch', login)));
      expect(run.code).toBe(EXIT.loginFailed);
      expect(run.stderr).toContain('unauthorized: authentication required');
      expect(existsSync(path.join(layout.stagingDir, DOCKER_CONFIG_DIR))).toBe(false);
    });

    it('a pull with no credentials the registry accepts is a login failure too', () => {
      const { host, layout } = setUp({
        registry: { 'registry.example.com': AUTH },
        compose: { pullFrom: 'registry.example.com' },
      });
      stage(layout, { 'docker-compose.yml': '', [`${DOCKER_CONFIG_DIR}/config.json`]: '{}' });
      const login = { server: 'registry.example.com', keep: false };
      const run = host.run(call(pullImages(layout, COMPOSE, 'monarch', login)));
      expect(run.code).toBe(EXIT.loginFailed);
      expect(run.stderr).toContain('no basic auth credentials');
    });

    it('with a login, a pull failing for another reason is a pull failure, its last 20 lines shown', () => {
      const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
      const { host, layout } = setUp({
        registry: { 'registry.example.com': AUTH },
        compose: { pull: { exit: 1, stderr: `${lines}\nmanifest unknown\n` } },
      });
      const json = JSON.stringify({ auths: { 'registry.example.com': { auth: AUTH } } });
      stage(layout, { 'docker-compose.yml': '', [`${DOCKER_CONFIG_DIR}/config.json`]: json });
      const login = { server: 'registry.example.com', keep: false };
      const run = host.run(call(pullImages(layout, COMPOSE, 'monarch', login)));
      expect(run.code).toBe(1);
      expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(20);
      expect(run.stderr).toMatch(/line 30\nmanifest unknown\n$/);
    });

    it('with registry-logout false keeps a copy of the login in the state folder', () => {
      const { host, layout } = setUp({ registry: { 'registry.example.com': AUTH } });
      const json = JSON.stringify({ auths: { 'registry.example.com': { auth: AUTH } } });
      stage(layout, { 'docker-compose.yml': '', [`${DOCKER_CONFIG_DIR}/config.json`]: json });
      const login = { server: 'registry.example.com', keep: true };
      expect(host.run(call(pullImages(layout, COMPOSE, 'monarch', login))).code).toBe(0);
      expect(readFileSync(`${layout.dockerConfigDir}/config.json`, 'utf8')).toBe(json);
    });
  });

  describe('installRelease and commitRelease', () => {
    it('copies every staged file into app-dir, folders made as needed, then keeps the staged release as the one to roll back to', () => {
      const { host, layout } = setUp();
      host.writeAppFile('docker-compose.yml', 'old');
      host.writeAppFile('.monarch/release/docker-compose.yml', 'old');
      stage(layout, { 'docker-compose.yml': 'new', '.env': "A='2'\n", 'config/app.conf': 'c2' });
      expect(host.run(call(installRelease(layout, FILES))).code).toBe(0);
      const read = (name: string) => readFileSync(path.join(host.appDir, name), 'utf8');
      expect([read('docker-compose.yml'), read('.env'), read('config/app.conf')]).toEqual([
        'new',
        "A='2'\n",
        'c2',
      ]);
      expect(existsSync(layout.stagingDir)).toBe(true);
      expect(host.run(call(commitRelease(layout))).code).toBe(0);
      expect(existsSync(layout.stagingDir)).toBe(false);
      expect(readFileSync(`${layout.releaseDir}/docker-compose.yml`, 'utf8')).toBe('new');
      expect(readdirSync(layout.stateDir).sort()).toEqual(['release']);
    });
  });

  describe('startContainers', () => {
    it('runs up -d --remove-orphans of the release file in app-dir, as the project', () => {
      const { host, layout } = setUp();
      host.writeAppFile('docker-compose.yml', '');
      expect(host.run(call(startContainers(layout, COMPOSE, 'monarch'))).code).toBe(0);
      expect(host.calls().find((c) => c.argv.includes('up'))).toMatchObject({
        argv: [
          'docker',
          'compose',
          '--file',
          'docker-compose.yml',
          '--project-name',
          'monarch',
          'up',
          '-d',
          '--remove-orphans',
        ],
        cwd: host.appDir,
      });
    });

    it("exits upFailed with up's output when it fails", () => {
      const { host, layout } = setUp({
        compose: {
          up: { exit: 1, stderr: 'Bind for 0.0.0.0:80 failed: port is already allocated\n' },
        },
      });
      host.writeAppFile('docker-compose.yml', '');
      const run = host.run(call(startContainers(layout, COMPOSE, 'monarch')));
      expect(run.code).toBe(EXIT.upFailed);
      expect(run.stderr).toContain('port is already allocated');
    });
  });

  describe('listContainers and reportImages', () => {
    it("lists the project's service containers, stopped ones too, one-off runs left out", () => {
      const web = composeContainer('monarch', 'web', v1);
      const job = composeContainer('monarch', 'job', v1, [{ Status: 'exited', ExitCode: 0 }]);
      const oneOff = composeContainer('monarch', 'shell', v1);
      oneOff.Config.Labels['com.docker.compose.oneoff'] = 'True';
      const foreign = composeContainer('other', 'web', v1);
      const { host } = setUp({ containers: [web, job, oneOff, foreign], images: [v1] });
      const run = host.run(call(listContainers('monarch')));
      expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual([job.ID, web.ID].sort());
      // Docker answers from its labels: compose, which would read app-dir's files, is not asked.
      expect(host.callsOf('docker', 'compose')).toEqual([]);
    });

    it('reports each container with its image and digest, in two docker calls', () => {
      const web = composeContainer('monarch', 'web', v1);
      const { host } = setUp({ containers: [web], images: [v1] });
      const run = host.run(call(reportImages(), [web.ID]));
      const replies = readReplies(run.stdout, IMAGE_REPLIES);
      expect(replies.all(IMAGE_REPLIES.container)).toEqual([
        `web registry.example.com/app:v1 ${v1.ID}`,
      ]);
      expect(replies.all(IMAGE_REPLIES.digest)).toEqual([
        `${v1.ID} registry.example.com/app@sha256:1111 `,
      ]);
      expect(host.calls().filter((c) => c.argv[0] === 'docker')).toHaveLength(2);
    });

    it('asks for an image shared by several containers once', () => {
      const web = composeContainer('monarch', 'web', v1);
      const worker = composeContainer('monarch', 'worker', v1);
      const { host } = setUp({ containers: [web, worker], images: [v1] });
      const run = host.run(call(reportImages(), [web.ID, worker.ID]));
      expect(readReplies(run.stdout, IMAGE_REPLIES).all(IMAGE_REPLIES.container)).toHaveLength(2);
      expect(host.callsOf('docker', 'image', 'inspect')).toEqual([
        ['docker', 'image', 'inspect', '-f', expect.any(String), v1.ID],
      ]);
    });
  });

  describe('restoreRelease and retagPrevious', () => {
    it("puts the action's copy of the previous release back and removes the files it did not have", () => {
      const { host, layout } = setUp();
      host.writeAppFile('docker-compose.yml', 'new');
      host.writeAppFile('.env', 'new env');
      host.writeAppFile('config/app.conf', 'new conf');
      host.writeAppFile('.monarch/release/docker-compose.yml', 'old');
      host.writeAppFile('.monarch/release/.env', 'old env', 0o600);
      expect(host.run(call(restoreRelease(layout, FILES))).code).toBe(0);
      const read = (name: string) => readFileSync(path.join(host.appDir, name), 'utf8');
      expect([read('docker-compose.yml'), read('.env')]).toEqual(['old', 'old env']);
      expect(statSync(path.join(host.appDir, '.env')).mode & 0o777).toBe(0o600);
      expect(existsSync(path.join(host.appDir, 'config/app.conf'))).toBe(false);
    });

    it('tags the image IDs that ran before again under their names, leaving digest references', () => {
      const { host, layout } = setUp({ images: [v1] });
      host.writeAppFile(
        '.monarch/rollback-images',
        `registry.example.com/app:latest ${v1.ID}\nregistry.example.com/app@sha256:1111 ${v1.ID}\n`,
      );
      expect(host.run(call(retagPrevious(layout))).code).toBe(0);
      expect(host.callsOf('docker', 'tag')).toEqual([
        ['docker', 'tag', '--', v1.ID, 'registry.example.com/app:latest'],
      ]);
      expect(host.state().images[0].RepoTags).toContain('registry.example.com/app:latest');
    });
  });

  describe('recordHistory', () => {
    it('appends one JSON line with the time and prints the last five back', () => {
      const { host, layout } = setUp();
      const record = {
        commit: 'c0ffee',
        actor: 'octocat',
        result: 'success',
        rolledBack: false,
        run: 'u',
      } as const;
      for (let i = 0; i < 6; i++)
        host.run(call(recordHistory(layout, { ...record, commit: `c${i}` })));
      const run = host.run(call(recordHistory(layout, record)));
      const entries = readReplies(run.stdout, HISTORY_REPLIES)
        .all(HISTORY_REPLIES.history)
        .map((line) => JSON.parse(line));
      expect(entries.map((e) => e.commit)).toEqual(['c2', 'c3', 'c4', 'c5', 'c0ffee']);
      expect(entries[4]).toEqual({
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        ...record,
      });
      expect(readFileSync(layout.historyFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(7);
    });
  });
});
