/**
 * `$VAR` and `${VAR...}` in a `.env` value, substituted as docker compose v2 does (compose-go's
 * `template.Substitute`): `$$` is a literal `$`; `$NAME` and `${NAME}`; the operators `:-`, `-`,
 * `:+`, `+`, `:?` and `?`, whose argument is itself substituted, and only when it is used; a `$`
 * that starts nothing (`$1`, `a $ b`, a trailing `$`) stays as it is; a `${` that is not a
 * valid expression is an error.
 */

/** A `${...}` that is not a valid expression. */
export class InvalidTemplateError extends Error {
  constructor() {
    super('invalid template');
    this.name = 'InvalidTemplateError';
  }
}

/** `${NAME:?...}` or `${NAME?...}` with NAME unset (or empty, for `:?`). */
export class RequiredVariableError extends Error {
  constructor(readonly variable: string) {
    super(`required variable ${variable} is missing a value`);
    this.name = 'RequiredVariableError';
  }
}

/** Where variables come from; `onUnset` hears of each one used without a value. */
export interface Variables {
  lookup(name: string): string | undefined;
  onUnset(name: string): void;
}

const NAME = '[_a-zA-Z][_a-zA-Z0-9]*';
/** compose-go's pattern; `[^\n]` where Go writes `.` (which matches all but a newline). */
const PATTERN = new RegExp(
  `\\$(?:(\\$)|(${NAME})|\\{(?:(${NAME}(?::?[-+?]([^\\n]*))?)\\}|()))`,
  'g',
);
const OPERATORS = [':?', '?', ':-', '-', ':+', '+'] as const;
type Operator = (typeof OPERATORS)[number];

/** `template` with every variable substituted; throws the errors above. */
export function substitute(template: string, variables: Variables): string {
  return template.replace(PATTERN, (match) => replaceMatch(match, variables));
}

function replaceMatch(whole: string, variables: Variables): string {
  const operator = firstOperator(whole);
  // The braced form's greedy argument may reach the line's last `}`: what lies after the
  // `}` that closes this expression is substituted on its own.
  const close = closingBrace(whole);
  const match = close >= 0 ? whole.slice(0, close + 1) : whole;
  const rest = close >= 0 ? whole.slice(close + 1) : '';
  const groups = new RegExp(PATTERN.source).exec(match);
  if (!groups || groups[1] !== undefined) return '$';
  if (groups[2] !== undefined) return valueOf(groups[2], variables);
  const braced = groups[3];
  if (braced === undefined) throw new InvalidTemplateError();
  if (operator && braced.includes(operator)) {
    const at = braced.indexOf(operator);
    const name = braced.slice(0, at);
    const argument = braced.slice(at + operator.length);
    return apply(operator, name, argument, variables) + substitute(rest, variables);
  }
  return valueOf(braced, variables);
}

function valueOf(name: string, variables: Variables): string {
  const value = variables.lookup(name);
  if (value === undefined) variables.onUnset(name);
  return value ?? '';
}

function apply(operator: Operator, name: string, argument: string, variables: Variables): string {
  const value = variables.lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  const orArgument = (use: boolean, otherwise: string) =>
    use ? substitute(argument, variables) : otherwise;
  switch (operator) {
    case ':-':
      return nonEmpty ? value : substitute(argument, variables);
    case '-':
      return set ? value : substitute(argument, variables);
    case ':+':
      return orArgument(nonEmpty, '');
    case '+':
      return orArgument(set, '');
    case ':?':
      if (!nonEmpty) throw new RequiredVariableError(name);
      return value;
    case '?':
      if (!set) throw new RequiredVariableError(name);
      return value;
  }
}

/** The operator that occurs first in `text`, if any. */
function firstOperator(text: string): Operator | undefined {
  let best: Operator | undefined;
  let bestAt = Infinity;
  for (const operator of OPERATORS) {
    const at = text.indexOf(operator);
    if (at >= 0 && at < bestAt) [best, bestAt] = [operator, at];
  }
  return best;
}

/**
 * The index of the `}` that closes the expression, counted as compose-go counts: each `{` opens
 * one more level (and the character after it is skipped), each `}` closes one; -1 if none does.
 */
function closingBrace(text: string): number {
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '}') {
      open--;
      if (open === 0) return i;
    }
    if (text[i] === '{') {
      open++;
      i++;
    }
  }
  return -1;
}
