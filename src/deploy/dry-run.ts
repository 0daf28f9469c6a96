/**
 * A dry run: checks everything a deploy needs and changes nothing. The marker, the compose file
 * as the host's compose reads it (in a temporary folder outside the app directory, which the
 * host removes on any way out), the registry login (with a throwaway docker config), and which
 * `.env` keys would be added, changed or removed (compared here; no value is printed).
 */
import { DRY_RUN_REPLIES } from '../host-scripts/dry-run.js';
import { DETECT_REPLIES, MARKER_REPLIES } from '../host-scripts/prepare.js';
import { READY_LINE, readReplies } from '../host-scripts/protocol.js';
import { GO_LINE } from '../shell/timed.js';
import { lastLines } from '../remote-text.js';
import { RemoteCommandError, type ExecResult } from '../remote/host.js';
import type { DryRunReport } from '../types/report.js';
import { diffEnv } from './env-diff.js';
import { hostNotReady } from './lock.js';
import { DeployStepError, programsOf, type HostSession } from './session.js';
import { releaseArchive } from './upload.js';

/** Runs the dry run's command; the release travels on its standard input. */
export async function dryRun(session: HostSession, markerBudgetMs: number): Promise<DryRunReport> {
  const { host, inputs } = session;
  const outcome = await host.hold(
    programsOf(session).dryRun({
      marker: inputs.setupMarker,
      seconds: Math.ceil(markerBudgetMs / 1000),
    }),
    {
      label: 'Checking the droplet',
      timeoutMs: markerBudgetMs + 2 * inputs.commandTimeoutMs,
      readyLine: READY_LINE,
    },
  );
  if (!outcome.ready) throw hostNotReady(session, outcome.result);
  const { held } = outcome;
  const facts = readReplies(held.stdout, MARKER_REPLIES, DETECT_REPLIES, DRY_RUN_REPLIES);
  const composeCommand = facts.get(DETECT_REPLIES.compose) ?? '';
  held.release(
    Buffer.concat([
      Buffer.from(`${GO_LINE}\n${composeCommand}\n`),
      releaseArchive(session).archive,
    ]),
  );
  const checked = await held.result;
  checkResult(session, checked);
  const current = facts.get(DRY_RUN_REPLIES.currentEnv);
  const readable = current !== 'unreadable';
  const text = current && readable ? Buffer.from(current, 'base64').toString('utf8') : null;
  const { unreadable, ...keys } = diffEnv(text, inputs.env);
  return {
    ...session.mode.dryRunPlan(checked.stdout),
    composeCommand,
    user: facts.get(DETECT_REPLIES.user) ?? '',
    appDirExists: facts.get(DRY_RUN_REPLIES.appDir) === 'yes',
    ...keys,
    ...(unreadable || !readable ? { currentEnvUnreadable: true } : {}),
  };
}

function checkResult(session: HostSession, result: ExecResult): void {
  const { host, inputs } = session;
  const checks = readReplies(result.stdout, DRY_RUN_REPLIES);
  if (checks.get(DRY_RUN_REPLIES.composeError)) {
    const output = result.stdout
      .split('\n')
      .filter((line) => !/^[a-z_]+=/.test(line) && line !== READY_LINE);
    throw new DeployStepError(
      `the compose file does not pass 'compose config' on ${host.name}: ${lastLines(output.join('\n'), 3)}`,
    );
  }
  if (checks.get(DRY_RUN_REPLIES.loginError) && inputs.registry) {
    throw new DeployStepError(
      `registry login to ${inputs.registry.server} failed: ${lastLines(result.stderr, 2)}`,
    );
  }
  if (result.code !== 0)
    throw new RemoteCommandError('Checking the release', result.code, result.stderr);
}
