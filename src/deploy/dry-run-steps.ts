/** The dry run as one step of a host's log: what it checked and what a deploy would change. */
import type { DryRunReport } from '../types/report.js';
import { dryRun } from './dry-run.js';
import type { HostLog } from './host-log.js';
import { dryRunReleaseCommand } from './release-command.js';
import type { HostSession } from './session.js';

/** Runs a step as a group of the host's log. */
export type StepGroup = <T>(name: string, body: () => Promise<T>) => Promise<T>;

/** Runs the dry run within `deadline` and logs its findings. */
export function dryRunSteps(
  session: HostSession,
  deadline: number,
  group: StepGroup,
  log: HostLog,
): Promise<DryRunReport> {
  const { inputs } = session;
  return group(
    'Dry run: checking the droplet, the compose file and the registry login',
    async () => {
      const report = await dryRun(session, Math.max(0, deadline - Date.now()));
      log.info(`${session.mode.words.tool(report.composeCommand)}; user ${report.user}`);
      log.info(
        `${inputs.appDir} ${report.appDirExists ? 'exists' : 'does not exist yet (a deploy would create it)'}`,
      );
      for (const line of session.mode.dryRunLines(report)) log.info(line);
      if (inputs.registry) log.info(`registry login to ${inputs.registry.server} works`);
      if (report.currentEnvUnreadable) {
        log.warning(
          `${inputs.appDir}/.env is not a .env file compose can read (or not a regular file of at most 1 MiB): every key counts as added`,
        );
      }
      log.info(`.env keys added: ${report.added.join(', ') || 'none'}`);
      log.info(`.env keys changed: ${report.changed.join(', ') || 'none'}`);
      log.info(`.env keys removed: ${report.removed.join(', ') || 'none'}`);
      dryRunReleaseCommand(session, log);
      log.info('nothing was changed on the droplet');
      return report;
    },
  );
}
