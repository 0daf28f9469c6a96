/**
 * What a run found and did, host by host: the types the deploy fills in and the outputs, the
 * job summary, Slack and GitHub Deployments read. Importing nothing, so `report/` and
 * `notify/` depend on these and on nothing of `deploy/` or `remote/`.
 */

/** Who ran what, where; every field may be empty outside Actions. */
export interface RunContext {
  readonly repository: string;
  readonly sha: string;
  readonly ref: string;
  readonly actor: string;
  readonly triggeringActor: string;
  readonly workflow: string;
  readonly serverUrl: string;
  readonly runUrl: string;
  readonly commitUrl: string;
  /** First line of the head commit's message, when the event carries it. */
  readonly commitTitle: string;
}

/** Who is deploying what: written to the lock and the history, never secret. */
export interface DeployIdentity {
  /** Unique per run and host attempt: names the staging directory. */
  readonly runId: string;
  readonly actor: string;
  readonly commit: string;
  readonly runUrl: string;
}

/** One image a service runs, as the host reports it. */
export interface RunningImage {
  readonly service: string;
  readonly image: string;
  readonly id: string;
  /** `repo@sha256:...` when the image came from a registry. */
  readonly digest: string;
}

/** One service of a Swarm stack, as the manager reports it after the deploy. */
export interface StackServiceReport {
  /** Swarm's name for it, `<stack>_<service>`. */
  readonly name: string;
  readonly running: number;
  readonly desired: number;
  /** The image of its spec, as the file names it (without the digest). */
  readonly image: string;
  /** `sha256:...` when `stack deploy` resolved it in the registry. */
  readonly digest: string;
  /** The nodes its running tasks are on (host names), each once. */
  readonly nodes: readonly string[];
}

/** `mode: compose` with start-first services: how one service was rolled. */
export interface ServiceRollout {
  readonly service: string;
  /** `start-first`: new containers beside the old ones; `recreate`: compose's `up -d`. */
  readonly order: 'start-first' | 'recreate';
  /** start-first: seconds the old and new containers ran side by side; null: none ran before. */
  readonly overlapSeconds: number | null;
}

/** One line of the app directory's deploy history. */
export interface HistoryEntry {
  readonly time: string;
  readonly commit: string;
  readonly actor: string;
  readonly result: 'success' | 'failure';
  readonly rolledBack: boolean;
  readonly run: string;
}

/** What a dry run found on a host. */
export interface DryRunReport {
  /** The host's compose command (`docker compose` or `docker-compose`); empty in mode swarm. */
  readonly composeCommand: string;
  readonly user: string;
  readonly appDirExists: boolean;
  /** `.env` keys the deploy would add, change and remove (never their values). */
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** The host's current `.env` is not one compose can read (every key then counts as added). */
  readonly currentEnvUnreadable?: boolean;
  /** `mode: swarm`: the services a deploy would create, update, and remove (full names). */
  readonly stack?: {
    readonly create: readonly string[];
    readonly update: readonly string[];
    readonly remove: readonly string[];
  };
}

/** How one droplet's deploy ended. */
export interface HostResult {
  readonly host: string;
  /** `skipped`: a rolling deploy stopped before this host. */
  readonly status: 'success' | 'failure' | 'skipped';
  /** The step that failed, e.g. "Pulling images". */
  readonly failedStep?: string;
  readonly error?: string;
  readonly rolledBack: boolean;
  readonly images: readonly RunningImage[];
  /** The last entries of the app directory's deploy history, this one included. */
  readonly history: readonly HistoryEntry[];
  readonly durationMs: number;
  readonly dryRun?: DryRunReport;
  /** `mode: swarm`: the stack and its services. */
  readonly stack?: { readonly name: string; readonly services: readonly StackServiceReport[] };
  /**
   * The deploy failed before it changed anything here: the host could not be reached, or is
   * not a swarm manager (`mode: swarm` then tries the next manager).
   */
  readonly untouched?: boolean;
  /** `mode: swarm`: the services a rollback put back to their previous spec. */
  readonly rolledBackServices?: readonly string[];
  /**
   * `release-command` failed or timed out (here, or on the host that ran it): nothing was
   * switched, the previous release keeps running.
   */
  readonly releaseCommandFailed?: boolean;
  /** `mode: compose` with start-first services: how each service was rolled. */
  readonly rollouts?: readonly ServiceRollout[];
}

/** A finished run. */
export interface DeployReport {
  readonly status: 'success' | 'failure';
  readonly rolledBack: boolean;
  /** The hosts the run was asked to deploy to (empty when the inputs were invalid). */
  readonly targets: readonly string[];
  readonly hosts: readonly HostResult[];
  /** The first failure's step and message, for a one-line reason. */
  readonly failedStep?: string;
  readonly error?: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly context: RunContext;
  /** A dry run: checked, nothing changed. */
  readonly dryRun: boolean;
  /** The GitHub environment deployed to, when set. */
  readonly environment?: string;
  readonly environmentUrl?: string;
  /** `mode: swarm`: the stack, and how many services its file has. */
  readonly stack?: { readonly name: string; readonly services: number };
  /** `release-command` failed: nothing was switched on any host. */
  readonly releaseCommandFailed?: boolean;
}
