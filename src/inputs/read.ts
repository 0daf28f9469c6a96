/** Reading single inputs: each reader validates one input and names it in its error. */

/** An input that is not what the action expects. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    expectation: string,
  ) {
    super(`Invalid input '${input}': ${expectation}`);
    this.name = 'InputError';
  }
}

/**
 * Several invalid inputs at once, each still its own InputError: the run reports them all in one
 * failure (one annotation each), so a user fixes them in one go.
 */
export class InvalidInputs extends Error {
  constructor(readonly errors: readonly InputError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.name = 'InvalidInputs';
  }
}

/**
 * Collects the InputErrors of independent checks, so that one invalid input does not hide the
 * next: `check` runs a reader and keeps its error, `done` throws what was kept.
 */
export class InputChecks {
  private readonly errors: InputError[] = [];

  /** `reader()`'s value; undefined (its error kept) when the input is invalid. */
  check<T>(reader: () => T): T | undefined {
    try {
      return reader();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      if (!this.errors.some((kept) => kept.message === error.message)) this.errors.push(error);
      return undefined;
    }
  }

  /** Throws the one InputError kept, or all of them as InvalidInputs. */
  done(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new InvalidInputs(this.errors);
  }
}

/** Reads an input the way the runner passes it (`INPUT_<NAME>`), trimmed unless told otherwise. */
export type InputReader = (name: string, options?: { trimWhitespace?: boolean }) => string;

const SAFE_PATH = /^\/[A-Za-z0-9/._-]*$/;

/** Throws the InputError for `input`: "expected ...". */
export function fail(input: string, expectation: string): never {
  throw new InputError(input, `expected ${expectation}`);
}

/** Runs a parser whose errors become an InputError for `input`. */
export function wrap<T>(input: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(input, error instanceof Error ? error.message : String(error));
  }
}

/** The value of `name`, which must be set `when` (e.g. "when 'registry' is set"). */
export function required(read: InputReader, name: string, when: string): string {
  return read(name) || fail(name, `a value ${when}`);
}

/** A whole number from `min` to `max`; empty gives `fallback`. */
export function integer(
  read: InputReader,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = read(name);
  if (text === '') return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    fail(name, `a whole number from ${min} to ${max}, got '${text}'`);
  return value;
}

/** Seconds (at most a day), as milliseconds; empty gives `fallback` seconds. */
export function seconds(
  read: InputReader,
  name: string,
  fallback: number,
  zeroAllowed: boolean,
): number {
  const text = read(name);
  if (text === '') return fallback * 1000;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(zeroAllowed ? value >= 0 : value > 0) || value > 86_400) {
    fail(
      name,
      `a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds (at most 86400), got '${text}'`,
    );
  }
  return Math.round(value * 1000);
}

/** `true` or `false`; empty gives `fallback`. */
export function boolean(read: InputReader, name: string, fallback: boolean): boolean {
  const text = read(name).toLowerCase();
  if (text === '') return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  return fail(name, `'true' or 'false', got '${text}'`);
}

/** One of `allowed`; empty gives `fallback`. */
export function oneOf<T extends string>(
  read: InputReader,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const text = read(name);
  if (text === '') return fallback;
  if (!(allowed as readonly string[]).includes(text)) {
    fail(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${text}'`);
  }
  return text as T;
}

/** A user name on a host. */
export function username(name: string, input = 'username'): string {
  if (!/^[a-z_][a-z0-9_.-]*$/i.test(name)) fail(input, `a user name, got '${name}'`);
  return name;
}

/** An absolute path of letters, digits and `/._-`, without `..`; trailing slashes dropped. */
export function safePath(input: string, value: string): string {
  if (!SAFE_PATH.test(value) || value.split('/').includes('..')) {
    fail(input, `an absolute path of letters, digits and '/._-' without '..', got '${value}'`);
  }
  return value.length > 1 ? value.replace(/\/+$/, '') : value;
}

/** `safePath`, or null when empty. */
export function optionalPath(input: string, value: string): string | null {
  return value === '' ? null : safePath(input, value);
}
