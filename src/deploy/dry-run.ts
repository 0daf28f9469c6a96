/**
 * A dry run: checks everything a deploy needs and changes nothing. The marker, the compose file
 * as the host's compose reads it (in a temporary folder outside the app directory, removed
 * after), the registry login (with a throwaway docker config), and which `.env` keys would be
 * added, changed or removed (compared here; no value is printed).
 */
import { DRY_RUN_PREFIX } from '../host-scripts/dry-run.js';
import { dryRunCheckProgram, dryRunProbeProgram } from '../host-scripts/programs.js';
import { Replies } from '../host-scripts/protocol.js';
import { lastLines } from '../remote-text.js';
import { RemoteCommandError } from '../remote/host.js';
import type { DryRunReport } from '../types/report.js';
import { diffEnv } from './env-diff.js';
import { hostNotReady } from './lock.js';
import { composeCommand, DeployStepError, projectName, type HostSession } from './session.js';
import { uploadRelease } from './upload.js';

/** Runs the dry run's two commands, with the release uploaded in between. */
export async function dryRun(
  session: HostSession,
  markerBudgetMs: number,
  readCurrentEnv: () => Promise<string | null>,
): Promise<DryRunReport> {
  const { host, inputs, layout } = session;
  const probe = await host.exec(
    dryRunProbeProgram(layout, {
      marker: inputs.setupMarker,
      seconds: Math.floor(markerBudgetMs / 1000),
    }),
    { label: 'Checking the droplet', timeoutMs: markerBudgetMs + inputs.commandTimeoutMs },
  );
  if (probe.code !== 0) throw hostNotReady(session, probe);
  const facts = new Replies(probe.stdout);
  session.compose = composeCommand(facts.get('compose'));
  const tmp = facts.get('tmp') ?? '';
  if (!tmp.startsWith(DRY_RUN_PREFIX) || tmp.includes('/..'))
    throw new DeployStepError('could not create a temporary folder on the host');
  const checkSession: HostSession = {
    ...session,
    layout: { ...layout, stagingDir: `${tmp}/release` },
  };
  const [, currentEnv] = await Promise.all([uploadRelease(checkSession), readCurrentEnv()]);
  await checkRelease(session, tmp);
  const { unreadable, ...keys } = diffEnv(currentEnv, inputs.env);
  return {
    composeCommand: facts.get('compose') ?? '',
    user: facts.get('user') ?? '',
    appDirExists: facts.get('app_dir') === 'yes',
    ...keys,
    ...(unreadable ? { currentEnvUnreadable: true } : {}),
  };
}

async function checkRelease(session: HostSession, tmp: string): Promise<void> {
  const { host, inputs } = session;
  const registry = inputs.registry;
  const result = await host.exec(
    dryRunCheckProgram(tmp, session.compose, projectName(inputs.appDir), registry?.server ?? null),
    { label: 'Checking the release', timeoutMs: inputs.commandTimeoutMs },
  );
  const checks = new Replies(result.stdout);
  if (checks.get('compose_error')) {
    throw new DeployStepError(
      `the compose file does not pass 'compose config' on ${host.name}: ${lastLines(result.stdout.replace(/^compose_error=1$/m, ''), 3)}`,
    );
  }
  if (checks.get('login_error') && registry) {
    throw new DeployStepError(
      `registry login to ${registry.server} failed: ${lastLines(result.stderr, 2)}`,
    );
  }
  if (result.code !== 0)
    throw new RemoteCommandError('Checking the release', result.code, result.stderr);
}
