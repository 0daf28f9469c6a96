/**
 * A droplet that stops answering in the middle of a deploy, two ways: its sshd frozen (the
 * keepalives go unanswered), or sshd answering while the program of a step never reports (its
 * `timeout` frozen, so the host's own limit never fires). Both end the run on the runner's
 * clocks, with a message that names the step and what the host may be running; no rollback is
 * tried over them.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runAction } from './runner.js';
import { deployInputs, WORKSPACE } from './fixtures.js';
import { droplet, readyDroplets, setupComplete, sshdCtl, type Lab } from './lab.js';

let lab: Lab;

beforeAll(() => {
  lab = readyDroplets(1);
});
afterAll(() => {
  sshdCtl(lab, 1, 'kill-sessions');
  sshdCtl(lab, 1, 'start');
  setupComplete(lab, 1, true);
});

const deploy = (tag: string, over: Record<string, string> = {}) =>
  runAction({ inputs: deployInputs(lab, 1, tag, over), workspaceFiles: WORKSPACE });

/** The processes of droplet 1 (its network namespace), with their name and command line. */
function dropletProcesses(): { pid: number; comm: string; args: string }[] {
  const pids = spawnSync('ip', ['netns', 'pids', droplet(lab, 1).netns], { encoding: 'utf8' });
  return pids.stdout
    .split('\n')
    .filter(Boolean)
    .flatMap((pid) => {
      try {
        const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return [{ pid: Number(pid), comm, args }];
      } catch {
        return []; // it ended meanwhile
      }
    });
}

/**
 * Once a process of droplet 1 matches `match`, waits `delayMs` and stops (SIGSTOP) what
 * `targets` picks; returns the stopped pids (filled in as it happens) and a way to stop looking.
 */
function freezeWhen(
  match: (process: { comm: string; args: string }) => boolean,
  targets: () => number[],
  delayMs = 0,
): { stopped: number[]; cancel: () => void } {
  const stopped: number[] = [];
  let delay: NodeJS.Timeout | undefined;
  const poll = setInterval(() => {
    if (!dropletProcesses().some(match)) return;
    clearInterval(poll);
    delay = setTimeout(() => {
      for (const pid of targets()) {
        process.kill(pid, 'SIGSTOP');
        stopped.push(pid);
      }
    }, delayMs);
  }, 100);
  return {
    stopped,
    cancel: () => {
      clearInterval(poll);
      clearTimeout(delay);
    },
  };
}

/** Lets the stopped processes go on, then ends every session (a KILL reaches a stopped one too). */
function thaw(stopped: readonly number[]): void {
  for (const pid of stopped) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone already
    }
  }
  sshdCtl(lab, 1, 'kill-sessions');
}

describe('a droplet that stops answering', () => {
  it('sshd frozen during the start: the run ends on the keepalives, naming the step and what may run, and rolls nothing back', async () => {
    expect((await deploy('v1')).main.exitCode).toBe(0);
    const listener = Number(readFileSync(droplet(lab, 1).sshdPidFile, 'utf8').trim());
    // The session's sshd processes (not the listener) stop answering once the start began.
    const freeze = freezeWhen(
      (p) => p.comm === 'timeout' && p.args.includes('monarch_check_health'),
      () =>
        dropletProcesses()
          .filter((p) => p.comm === 'sshd' && p.pid !== listener)
          .map((p) => p.pid),
      1_000,
    );
    const started = Date.now();
    let run;
    try {
      run = await deploy('v2');
    } finally {
      freeze.cancel();
      thaw(freeze.stopped);
    }
    expect(freeze.stopped.length).toBeGreaterThan(0);
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors[0]).toBe(
      `${droplet(lab, 1).host}: Starting containers, checking health: ${droplet(lab, 1).host} stopped answering ` +
        '(its SSH server did not answer keepalives); the new release may be starting or running, ' +
        'and the previous one may be stopped; no rollback was tried: check the host',
    );
    expect(run.main.stdout).not.toMatch(/Rolling back|rollback failed/);
    // The keepalives (every 5 s, 3 unanswered) end it, not a step's limit (60 s and more here).
    expect(Date.now() - started).toBeLessThan(50_000);
  });

  it("sshd answering while a step's program never reports: the runner's own clock ends it", async () => {
    // The lock program waits for the setup marker; its `timeout` is stopped, so neither the
    // marker's wait (which ends in its child) nor the host's limit can end the command.
    setupComplete(lab, 1, false);
    const freeze = freezeWhen(
      (p) => p.comm === 'timeout' && p.args.includes('setup_complete'),
      () =>
        dropletProcesses()
          .filter((p) => p.comm === 'timeout' && p.args.includes('setup_complete'))
          .map((p) => p.pid),
    );
    const started = Date.now();
    let run;
    try {
      run = await deploy('v1', {
        'setup-timeout': '6',
        'lock-timeout': '2',
        'command-timeout': '5',
      });
    } finally {
      freeze.cancel();
      thaw(freeze.stopped);
      setupComplete(lab, 1, true);
    }
    const elapsed = Date.now() - started;
    expect(freeze.stopped.length).toBe(1);
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors[0]).toMatch(
      new RegExp(
        `^${droplet(lab, 1).host.replace(/\./g, '\\.')}: Waiting for /opt/setup_complete, locking /opt/monarch: ` +
          `${droplet(lab, 1).host.replace(/\./g, '\\.')} did not report the end of 'Waiting for the droplet' within \\d+ s ` +
          "\\(the step's own limit on the host, and a margin\\): its SSH server answers, its command does not; " +
          'nothing that runs was changed yet: the host still runs the release it ran before$',
      ),
    );
    // Marker (≤ 6 s) + lock (2 s) + docker's checks (5 s), and the margin (15 s): not the
    // host's limit on the lock holder, which holds it for the whole deploy (over 90 s here).
    expect(elapsed).toBeLessThan(60_000);
  });
});
