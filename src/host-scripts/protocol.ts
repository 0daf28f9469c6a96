/**
 * The protocol between the action and the programs it runs on a host, imported by both sides
 * and by the tests: the exit codes (one table, so that no two collide), the line a held
 * command prints once it is ready, and how `key=value` replies are declared and read. Each
 * program declares its own reply keys beside it (`replyKeys`); how a command is started and
 * timed on the host is src/shell/timed.ts.
 */
import { oneLine } from '../remote-text.js';
import { NOT_STARTED_EXIT } from '../shell/timed.js';

/** Exit codes of the host scripts, clear of docker's, the shell's (126-128+) and timeout(1)'s. */
export const EXIT = {
  /** The release command did not finish within its timeout; its container was removed. */
  releaseCommandTimedOut: 85,
  /** The release command exited non-zero; `release_status=` says with what. */
  releaseCommandFailed: 86,
  /** `mode: swarm`, and the host is not a manager of an active swarm; `swarm=` says its state. */
  notManager: 87,
  /** The release could not be unpacked into this run's staging folder. */
  uploadFailed: 88,
  /** app-dir holds what the deploy must not follow or overwrite (a link, a folder, a foreign owner); `unsafe=` says what. */
  unsafePath: 89,
  /** The setup marker did not appear in time. */
  markerTimeout: 90,
  /** app-dir (or its state folder) cannot be created or written. */
  notWritable: 91,
  /** No docker, or no compose. */
  noDocker: 92,
  /** A container exited, restarted or turned unhealthy. */
  unhealthy: 93,
  /** The containers were not healthy within health-timeout. */
  healthTimeout: 94,
  /** No flock for the deploy lock. */
  noFlock: 95,
  /** Another deploy held the lock for all of lock-timeout. */
  locked: 96,
  /** The registry refused the login. */
  loginFailed: 97,
  /** `compose up` (or `docker stack deploy`) failed. */
  upFailed: 98,
  /** The command was told not to start (its `go` line never came): it did nothing. */
  notStarted: NOT_STARTED_EXIT,
} as const;

/** What a long-lived command prints once it holds the lock; everything before it is replies. */
export const READY_LINE = 'monarch-ready';

/** What a reply key may be: lower case letters and `_`. */
const REPLY_KEY = /^[a-z_]+$/;

/** A program's reply keys: the name the code uses for each `key` it prints as `key=value`. */
export type ReplyKeys = Readonly<Record<string, string>>;

/** The keys one declaration holds. */
type KeysOf<K> = K extends ReplyKeys ? K[keyof K] : never;

/** The keys a set of declarations holds. */
type KeyOf<D extends readonly ReplyKeys[]> = KeysOf<D[number]>;

/**
 * Declares the replies of a program, once, next to it: the program prints `${KEYS.name}=...`
 * and its readers and tests read `KEYS.name`, so a key cannot drift between them.
 */
export function replyKeys<const K extends Record<string, string>>(keys: K): Readonly<K> {
  for (const key of Object.values(keys))
    if (!REPLY_KEY.test(key)) throw new Error(`not a reply key: ${JSON.stringify(key)}`);
  return Object.freeze(keys);
}

/**
 * The replies in `text` of the programs that declared `declarations`: its `key=value` lines of
 * those keys (other lines are ignored). What a host prints is not trusted: each value is kept
 * on one line, its control characters shown escaped.
 */
export function readReplies<const D extends readonly ReplyKeys[]>(
  text: string,
  ...declarations: D
): Replies<KeyOf<D>> {
  const keys = new Set(declarations.flatMap((declared) => Object.values(declared)));
  return new Replies<KeyOf<D>>(text, keys);
}

/** The replies of some programs, read by `readReplies`; only their declared keys can be asked for. */
export class Replies<Key extends string> {
  private readonly values = new Map<string, string[]>();

  /** @internal use `readReplies`. */
  constructor(text: string, keys: ReadonlySet<string>) {
    for (const line of text.split('\n')) {
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      if (!keys.has(key)) continue;
      const list = this.values.get(key) ?? [];
      list.push(oneLine(line.slice(eq + 1)));
      this.values.set(key, list);
    }
  }

  /** The first value printed for `key`. */
  get(key: Key): string | undefined {
    return this.values.get(key)?.[0];
  }

  /** Every value printed for `key`, in order. */
  all(key: Key): string[] {
    return this.values.get(key) ?? [];
  }

  /** The first value of `key` as a whole number, or `fallback`. */
  number(key: Key, fallback = 0): number {
    const value = Number(this.get(key));
    return Number.isFinite(value) && this.get(key) !== undefined ? value : fallback;
  }
}
