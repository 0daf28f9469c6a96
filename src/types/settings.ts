/**
 * The settings of a run, as `getInputs` builds them from the step's inputs: types and the
 * constants they are made of, importing nothing, so that every layer can name them.
 */

/** One variable of the service's environment. */
export interface EnvVar {
  readonly key: string;
  readonly value: string;
  /** 1-based line of the `env` input it came from. */
  readonly line: number;
}

/** A workspace file to upload, as it was read and checked, and its name relative to app-dir. */
export interface UploadFile {
  readonly localPath: string;
  readonly remoteName: string;
  readonly content: Buffer;
  /** Its permission bits (at most 0755). */
  readonly mode: number;
}

/** Registry credentials for `docker login` on the host. */
export interface RegistryLogin {
  readonly server: string;
  readonly username: string;
  readonly password: string;
}

/** One usable line of a known_hosts file. */
export interface KnownHost {
  readonly patterns: string;
  readonly keyType: string;
  readonly keyBlob: Buffer;
  readonly revoked: boolean;
  /** 1-based line number in the input, for error messages. */
  readonly line: number;
}

/** A pinned host key: for one host (`host=SHA256:...`), or for every host without a pin of its own. */
export interface FingerprintPin {
  readonly host?: string;
  /** `SHA256:<base64>`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

/** What the action accepts as proof of a host's identity. */
export interface HostKeyPolicy {
  readonly fingerprints: readonly FingerprintPin[];
  readonly knownHosts: readonly KnownHost[];
  /** Accept a key nothing above says anything about (never one that contradicts them). */
  readonly insecureIgnore: boolean;
}

/** How to reach and authenticate to one SSH server. */
export interface ConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  readonly passphrase?: string;
  readonly hostKeyPolicy: HostKeyPolicy;
}

/** A bastion to reach private droplets through; its host key is verified too. */
export type JumpHost = ConnectionSettings;

/** The values `notify-on` accepts, in the order the README lists them. */
export const NOTIFY_ON_VALUES = ['always', 'failure', 'success', 'never'] as const;

/** `always` (the default), `failure` (rolled back included), `success` or `never`. */
export type NotifyOn = (typeof NOTIFY_ON_VALUES)[number];

/** The Slack inputs, validated. */
export interface SlackSettings {
  /** `slack-webhook-url`. */
  readonly webhookUrl?: string;
  /** `slack-bot-token` (xoxb-...); needs `channel`. */
  readonly botToken?: string;
  /** `slack-channel`: a channel ID (best: `chat.update` needs the ID) or name. */
  readonly channel?: string;
  /** `notify-on`. */
  readonly notifyOn: NotifyOn;
  /** `slack-errors-fatal`: a failed notification fails the step instead of warning. */
  readonly errorsFatal: boolean;
  /** Values to blank out of the error text sent to Slack. */
  readonly secrets?: readonly string[];
}

/** One service of a Swarm stack, as the rendered stack file defines it. */
export interface StackService {
  /** Its key in the file (Swarm names it `<stack>_<name>`). */
  readonly name: string;
  readonly image: string;
  /** Ports it publishes in `mode: host`. */
  readonly hostModePorts: readonly number[];
  /** The order of its rolling update, as Swarm will apply it. */
  readonly updateOrder: 'start-first' | 'stop-first';
}

/** `mode: swarm`: the stack to deploy, its file rendered on the runner with the `env` values. */
export interface StackPlan {
  /** `stack`: letters, digits, `_` and `-`, starting with a letter or digit. */
  readonly name: string;
  /** The stack file `docker stack deploy` reads (it holds the `env` values: uploaded 0600). */
  readonly file: Buffer;
  readonly services: readonly StackService[];
}

/**
 * `release-command`: a command run once, in a one-off container of the new release, after the
 * pull and before anything is switched (a database migration).
 */
export interface ReleaseCommandPlan {
  /** The command line as given (shown in the log). */
  readonly line: string;
  /** Its words, as compose's `command:` splits a string: no shell runs them. */
  readonly words: readonly string[];
  /** The compose service whose image, `.env` and networks it runs with. */
  readonly service: string;
  /** `release-command-timeout` (default: `command-timeout`). */
  readonly timeoutMs: number;
}

/**
 * A service of a compose-mode file with `deploy.update_config.order: start-first`: rolled by
 * starting its new containers beside the old ones, then stopping the old ones.
 */
export interface StartFirstService {
  /** Its key in the compose file. */
  readonly name: string;
  /** How many containers it runs (`deploy.replicas`, else `scale`, else 1). */
  readonly replicas: number;
  /** Seconds `docker stop` gives each old container after SIGTERM (`stop_grace_period`). */
  readonly stopGraceSeconds: number;
  /** The compose file gives it a healthcheck (false: none or disabled; null: the image's, if any). */
  readonly healthcheck: boolean | null;
}

/** `mode: compose` with start-first services: how each service of the compose file is rolled. */
export interface RolloutPlan {
  /** The start-first services, in dependency order (a service after those it depends on). */
  readonly startFirst: readonly StartFirstService[];
  /** Every other service: `up -d` recreates it, as without a plan. */
  readonly recreate: readonly string[];
}

/** What reaching the hosts takes: all the post step reads. */
export interface ConnectionInputs {
  /** Droplet addresses, in the order given. */
  readonly hosts: readonly string[];
  readonly port: number;
  readonly username: string;
  /** The private key text (OpenSSH or PEM), already checked to parse with the passphrase. */
  readonly privateKey: string;
  readonly passphrase?: string;
  readonly hostKeyPolicy: HostKeyPolicy;
  /** Absolute path on the host, of letters, digits and `/._-` only. */
  readonly appDir: string;
  readonly jumpHost: JumpHost | null;
}

/** The validated settings of one run. */
export interface Inputs extends ConnectionInputs {
  /** The compose file in the workspace; uploaded as `docker-compose.yml`. */
  readonly composeFile: string;
  /** What it held when it was checked (what is uploaded). */
  readonly composeContent: Buffer;
  /** Extra files uploaded beside it, keeping their path relative to the compose file. */
  readonly files: readonly UploadFile[];
  /** The service's environment, in input order. */
  readonly env: readonly EnvVar[];
  /** Path of the file cloud-init writes when the droplet is ready; null skips the wait. */
  readonly setupMarker: string | null;
  readonly setupTimeoutMs: number;
  /** Limit for each remote command (pull, up, login...). */
  readonly commandTimeoutMs: number;
  readonly registry: RegistryLogin | null;
  readonly registryLogout: boolean;
  /** How long containers may take to be running and healthy; 0 skips the check. */
  readonly healthTimeoutMs: number;
  readonly rollback: boolean;
  readonly prune: boolean;
  /** Where and when to tell Slack. */
  readonly slack: SlackSettings;
  /** GitHub environment to record a deployment for; none: no GitHub API call. */
  readonly environment?: string;
  readonly environmentUrl?: string;
  readonly githubToken: string;
  /**
   * `digitalocean-token`, exchanged on the runner for short-lived read-only credentials that
   * log the droplets in to `registry` (DigitalOcean's unless the `registry` input names another).
   */
  readonly digitalOcean: { readonly token: string; readonly registry: string } | null;
  /** How long to wait for another deploy's lock on the host. */
  readonly lockTimeoutMs: number;
  /** Check everything, change nothing. */
  readonly dryRun: boolean;
  /** `parallel`: all hosts at once (up to maxParallel); `rolling`: one by one, stop at the first failure. */
  readonly strategy: 'parallel' | 'rolling';
  /** At most this many hosts at once (Infinity: all). */
  readonly maxParallel: number;
  /**
   * `mode: swarm`: the hosts are managers of one swarm, tried in order until one is reached;
   * null in `mode: compose`, where each host is a droplet of its own.
   */
  readonly stack: StackPlan | null;
  /** `release-command`: run once before the switch (compose mode); null: none. */
  readonly releaseCommand: ReleaseCommandPlan | null;
  /**
   * `mode: compose`, when a service of the compose file is start-first: how each is rolled;
   * null otherwise (every service recreated by `up -d`).
   */
  readonly rollout: RolloutPlan | null;
}
