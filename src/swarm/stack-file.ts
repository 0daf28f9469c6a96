/**
 * `mode: swarm`: the stack file `docker stack deploy` reads, rendered on the runner from the
 * compose file and the values of `env`, because Swarm reads no `.env`: every `${VAR}` is
 * substituted by compose's rules, the action's `.env` (as `env_file`) becomes `environment`,
 * and what is left is written so that docker's stack loader, which interpolates the file once
 * more and reads it as YAML 1.1, sees exactly those values (every `$` doubled, every string
 * double-quoted with escapes YAML 1.1 reads back). No warning or error ever quotes a value.
 */
import type { Scalar } from 'yaml';
import { InvalidTemplateError, RequiredVariableError, substitute } from '../env/interpolate.js';
import type { EnvVar } from '../types/settings.js';
import {
  convertService,
  formatPath,
  isMap,
  raiseOldVersion,
  RawScalar,
  StackFileError,
  type StackMap,
  type StackNode,
  type StackService,
} from './stack-services.js';

export { StackFileError, type StackService } from './stack-services.js';

/** The stack file and what the deploy needs to know of it. */
export interface RenderedStack {
  /** The file to upload: it holds the values of `env` (the caller writes it 0600). */
  readonly text: string;
  readonly services: readonly StackService[];
  /** What Swarm will do differently from compose; never quotes a value of `env`. */
  readonly warnings: readonly string[];
}

/** Where a value is in the document: keys and item indexes. */
type Path = readonly (string | number)[];

/** The version docker CLI 20.10's stack loader reads everything this file may hold in. */
const STACK_VERSION = '3.8';
/** Aliases a compose file may expand (yaml's guard against an exponential document). */
const MAX_ALIAS_COUNT = 10_000;

/**
 * Renders `composeText` as a stack file with the values of `env`; `yaml` is the yaml module
 * (loaded lazily by the caller). Throws `StackFileError` for what Swarm could not deploy.
 */
export function renderStack(
  composeText: string,
  env: readonly EnvVar[],
  yaml: typeof import('yaml'),
): RenderedStack {
  const values = new Map(env.map((v) => [v.key, v.value]));
  const warnings: string[] = [];
  const unset = new Set<string>();
  const root = interpolate(parse(composeText, yaml), [], values, unset);
  for (const name of unset)
    warnings.push(`variable ${name} is not set in 'env': an empty string is used`);
  if (!isMap(root)) throw new StackFileError('', 'the compose file is not a mapping');
  const services = root.get('services');
  if (!isMap(services)) throw new StackFileError('services', 'expected a mapping of services');
  const converted = [...services].map(([name, service]) =>
    convertService(name, service, values, warnings),
  );
  root.delete('name');
  raiseOldVersion(root, warnings);
  const stack: StackMap = root.has('version') ? root : new Map([['version', STACK_VERSION]]);
  if (stack !== root) for (const [key, value] of root) stack.set(key, value);
  return { text: `${emit(stack, '', [])}\n`, services: converted, warnings };
}

/** The document as a tree, anchors, aliases and merge keys resolved. */
export function parse(text: string, yaml: typeof import('yaml')): unknown {
  const document = yaml.parseDocument(text, { merge: true });
  const [error] = document.errors;
  if (error) {
    const first = error.message.split('\n')[0].replace(/:$/, '');
    throw new StackFileError('', `the compose file is not YAML: ${first}`);
  }
  // A plain number or boolean is written back as it was: docker reads `0440` or `1e3` its way;
  // a plain key that is no string (`NULL:`, `8080:`) is the string it was written as.
  yaml.visit(document, {
    Scalar(key, node: Scalar) {
      if (typeof node.value === 'string' || node.type !== 'PLAIN' || node.tag) return;
      if (key === 'key') node.value = node.source ?? '';
      else if (typeof node.value === 'number' || typeof node.value === 'boolean')
        node.value = new RawScalar(node.source ?? String(node.value));
    },
  });
  try {
    return document.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new StackFileError('', `the compose file cannot be read: ${message.split('\n')[0]}`);
  }
}

/**
 * yaml's JS value as a tree of string keys, every string value substituted (keys never are)
 * and cast where docker casts what it substitutes.
 */
export function interpolate(
  node: unknown,
  path: Path,
  values: ReadonlyMap<string, string>,
  unset: Set<string>,
): StackNode {
  const inner = (item: unknown, at: string | number) =>
    interpolate(item, [...path, at], values, unset);
  if (Array.isArray(node)) return node.map((item, i) => inner(item, i));
  if (node instanceof Map) {
    const map: StackMap = new Map();
    for (const [key, item] of node) {
      if (key !== null && typeof key === 'object')
        throw new StackFileError(formatPath(path), 'a mapping key must be a scalar');
      map.set(String(key), inner(item, String(key)));
    }
    return map;
  }
  if (node === undefined || node === null) return null;
  if (typeof node === 'object' && !(node instanceof RawScalar))
    throw new StackFileError(formatPath(path), 'a value of a type compose does not read');
  if (typeof node !== 'string') return node as StackNode;
  let result: string;
  try {
    result = substitute(node, { lookup: (name) => values.get(name), onUnset: (n) => unset.add(n) });
  } catch (error) {
    if (error instanceof RequiredVariableError)
      throw new StackFileError(formatPath(path), error.message);
    if (error instanceof InvalidTemplateError) {
      const hint = 'a ${ that starts no ${NAME}, ${NAME:-default} or the like (write $$ for a $)';
      throw new StackFileError(formatPath(path), `invalid template: ${hint}`);
    }
    throw error;
  }
  return result === node ? node : cast(path, result);
}

type Cast = 'int' | 'float' | 'bool';
const servicePath = (pattern: string, as: Cast) => [`services.*.${pattern}`, as] as const;
/**
 * docker/cli's `interpolateTypeCastMapping`: where its loader turns a substituted string into
 * a number or a boolean (`*` any key, `[]` any item). Substituted here, they are cast here.
 */
const CASTS: readonly (readonly [string, Cast])[] = [
  servicePath('configs.[].mode', 'int'),
  servicePath('secrets.[].mode', 'int'),
  servicePath('healthcheck.retries', 'int'),
  servicePath('healthcheck.disable', 'bool'),
  servicePath('deploy.replicas', 'int'),
  servicePath('deploy.update_config.parallelism', 'int'),
  servicePath('deploy.update_config.max_failure_ratio', 'float'),
  servicePath('deploy.rollback_config.parallelism', 'int'),
  servicePath('deploy.rollback_config.max_failure_ratio', 'float'),
  servicePath('deploy.restart_policy.max_attempts', 'int'),
  servicePath('deploy.placement.max_replicas_per_node', 'int'),
  servicePath('ports.[].target', 'int'),
  servicePath('ports.[].published', 'int'),
  servicePath('ulimits.*', 'int'),
  servicePath('ulimits.*.hard', 'int'),
  servicePath('ulimits.*.soft', 'int'),
  servicePath('privileged', 'bool'),
  servicePath('read_only', 'bool'),
  servicePath('stdin_open', 'bool'),
  servicePath('tty', 'bool'),
  servicePath('volumes.[].read_only', 'bool'),
  servicePath('volumes.[].volume.nocopy', 'bool'),
  ...['networks', 'volumes', 'secrets', 'configs'].map(
    (kind) => [`${kind}.*.external`, 'bool'] as const,
  ),
  ['networks.*.internal', 'bool'],
  ['networks.*.attachable', 'bool'],
];

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** docker/cli's `toBoolean` (YAML 1.1's words, in any case). */
const BOOLEANS = new Map([
  ...['y', 'yes', 'true', 'on'].map((word) => [word, true] as const),
  ...['n', 'no', 'false', 'off'].map((word) => [word, false] as const),
]);

/** `value`, substituted at `path`, as docker would cast it there (an error where it could not). */
function cast(path: Path, value: string): StackNode {
  const pattern = path.map((part) => (typeof part === 'number' ? '[]' : part));
  const matches = (rule: string) => {
    const parts = rule.split('.');
    return (
      parts.length === pattern.length &&
      parts.every((p, i) => p === pattern[i] || (p === '*' && typeof path[i] === 'string'))
    );
  };
  const as = CASTS.find(([rule]) => matches(rule))?.[1];
  if (as === undefined) return value;
  const bool = BOOLEANS.get(value.toLowerCase());
  if (as === 'int' && INT.test(value)) return new RawScalar(BigInt(value).toString());
  if (as === 'float' && FLOAT.test(value)) return Number(value);
  if (as === 'bool' && bool !== undefined) return bool;
  const expected = { int: 'an integer', float: 'a number', bool: 'a boolean' }[as];
  throw new StackFileError(
    formatPath(path),
    `expected ${expected} once substituted (docker casts it)`,
  );
}

/** The tree as block YAML, `indent` before each line, without a final newline. */
function emit(node: StackNode, indent: string, path: Path): string {
  const inner = `${indent}  `;
  if (isMap(node) && node.size > 0) {
    return [...node]
      .map(([key, value]) => {
        const head = `${indent}${formatKey(key, path)}:`;
        const at = [...path, key];
        return isBlock(value)
          ? `${head}\n${emit(value, inner, at)}`
          : `${head} ${scalar(value, at)}`;
      })
      .join('\n');
  }
  if (Array.isArray(node) && node.length > 0) {
    return node
      .map((item, i) => {
        if (!isBlock(item)) return `${indent}- ${scalar(item, [...path, i])}`;
        // The item's first line follows its `- `; the others are indented to match.
        return `${indent}- ${emit(item, inner, [...path, i]).slice(inner.length)}`;
      })
      .join('\n');
  }
  return `${indent}${scalar(node, path)}`;
}

const isBlock = (node: StackNode): boolean =>
  (isMap(node) && node.size > 0) || (Array.isArray(node) && node.length > 0);

/** A key plain where no YAML 1.1 reader could take it for anything but that string. */
function formatKey(key: string, path: Path): string {
  const plain =
    /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(key) &&
    !/^(?:y|n|yes|no|on|off|true|false|null)$/i.test(key);
  return plain ? key : quote(key, path);
}

/** A scalar; a string with every `$` doubled, which docker's own interpolation makes one. */
function scalar(node: StackNode, path: Path): string {
  if (node === null) return 'null';
  if (node instanceof RawScalar) return node.source;
  if (typeof node === 'boolean') return String(node);
  if (typeof node === 'number') {
    if (Number.isNaN(node)) return '.nan';
    if (!Number.isFinite(node)) return node > 0 ? '.inf' : '-.inf';
    return String(node);
  }
  if (typeof node === 'string')
    return quote(
      node.replaceAll('$', () => '$$'),
      path,
    );
  return isMap(node) ? '{}' : '[]';
}

/**
 * `text` double-quoted: printable characters as they are, every other one (and the line
 * breaks YAML 1.1 knows: U+0085, U+2028, U+2029) as an escape, so no line is ever folded.
 */
function quote(text: string, path: Path): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (printable(code)) out += char;
    else if (code >= 0xd800 && code <= 0xdfff)
      throw new StackFileError(
        formatPath(path),
        'a lone UTF-16 surrogate, which YAML cannot carry',
      );
    else if (ESCAPES[char]) out += ESCAPES[char];
    else out += code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
  }
  return `${out}"`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\\0',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
};
const hex = (code: number, digits: number) => code.toString(16).toUpperCase().padStart(digits, '0');

/** YAML 1.1's printable set, less its line breaks and the byte order mark. */
function printable(code: number): boolean {
  if (code >= 0x20 && code <= 0x7e) return true;
  if (code === 0x85 || code === 0x2028 || code === 0x2029 || code === 0xfeff) return false;
  return (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}
