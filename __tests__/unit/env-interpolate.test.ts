/**
 * `${...}` substitution, case by case from compose-go's own template tests and further edge
 * cases, each checked against compose-go (see the research notes in the issue): the same input
 * gives the same output, or an error of the same kind.
 */
import {
  InvalidTemplateError,
  RequiredVariableError,
  substitute,
} from '../../src/env/interpolate.js';

const run = (template: string, mapping: Record<string, string>) => {
  const unset: string[] = [];
  const value = substitute(template, {
    lookup: (name) => (Object.hasOwn(mapping, name) ? mapping[name] : undefined),
    onUnset: (name) => unset.push(name),
  });
  return { value, unset };
};

// compose-go template/template_test.go: mapping FOO=first, BAR='', JSON={"json":2}.
const TEMPLATE_TESTS = { FOO: 'first', BAR: '', JSON: '{"json":2}' };
const COMPOSE_CASES: [string, string][] = [
  ['$${foo}', '${foo}'],
  ['foo', 'foo'],
  ['a $ string', 'a $ string'],
  ['^REGEX$', '^REGEX$'],
  ['$}', '$}'],
  ['$', '$'],
  ['$FOO-bar', 'first-bar'],
  ['This ${missing} var', 'This  var'],
  ['This ${BAR} var', 'This  var'],
  ['This $FOO var', 'This first var'],
  ['This ${FOO} var', 'This first var'],
  ['ok ${missing:-def}', 'ok def'],
  ['ok ${missing-def}', 'ok def'],
  ['${A:+${A},}B', 'B'],
  ['${A:-${B}}', ''],
  ['ok ${BAR:-def}', 'ok def'],
  ['ok ${FOO:-def}', 'ok first'],
  ['ok ${BAR-def}', 'ok '],
  ['ok ${UNSET_VAR:+presence_value}', 'ok '],
  ['ok ${UNSET_VAR+presence_value}', 'ok '],
  ['ok ${FOO:+presence_value}', 'ok presence_value'],
  ['ok ${FOO+presence_value}', 'ok presence_value'],
  ['ok ${BAR+presence_value}', 'ok presence_value'],
  ['ok ${BAR:+presence_value}', 'ok '],
  ['ok ${BAR:-/non:-alphanumeric}', 'ok /non:-alphanumeric'],
  ['-ok ${BAR:-defaultValue}', '-ok defaultValue'],
  ['+ok ${UNSET:-${BAR-defaultValue}}', '+ok '],
  ['-ok ${FOO:-defaultValue}', '-ok first'],
  [':-ok ${UNSET-defaultValue}', ':-ok defaultValue'],
  [':-ok ${BAR-defaultValue}', ':-ok '],
  [':?ok ${BAR-defaultValue}', ':?ok '],
  [':?ok ${BAR:-defaultValue}', ':?ok defaultValue'],
  [':+ok ${BAR:-defaultValue}', ':+ok defaultValue'],
  ['+ok ${BAR-defaultValue}', '+ok '],
  ['?ok ${BAR:-defaultValue}', '?ok defaultValue'],
  ['ok ${UNSET_VAR-$FOO}', 'ok first'],
  ['ok ${UNSET_VAR-${FOO}}', 'ok first'],
  ['ok ${UNSET_VAR-${FOO} ${FOO}}', 'ok first first'],
  ['ok ${BAR:-$FOO}', 'ok first'],
  ['ok ${BAR:-${FOO}}', 'ok first'],
  ['ok ${BAR:-${FOO} ${FOO}}', 'ok first first'],
  ['ok ${BAR+$FOO}', 'ok first'],
  ['ok ${BAR+$FOO ${FOO:+second}}', 'ok first second'],
  ['ok ${FOO:?err}', 'ok first'],
  ['ok ${FOO?err}', 'ok first'],
  ['ok ${BAR?err}', 'ok '],
  ['ok ${SUBDOMAIN:-redis}.${FOO:?}', 'ok redis.first'],
  ['${UNSET_VAR-myerror?msg}', 'myerror?msg'],
  ['${FOO?bar-baz}', 'first'],
  ['${BAR:-default_value_for_empty_var}', 'default_value_for_empty_var'],
  ['${UNSET_VAR-default_value_for_unset_var}', 'default_value_for_unset_var'],
  ['ok ${missing:-{"json":1}}', 'ok {"json":1}'],
  ['ok ${missing-{"json":1}}', 'ok {"json":1}'],
  ['ok ${JSON:-{"json":1}}', 'ok {"json":2}'],
  ['ok ${JSON-{"json":1}}', 'ok {"json":2}'],
];

// Further edge cases: mapping SET=v, EMPTY='', FOO=first.
const EDGE = { SET: 'v', EMPTY: '', FOO: 'first' };
const EDGE_CASES: [string, string][] = [
  ['$SET', 'v'],
  ['${SET}', 'v'],
  ['$SETx', ''],
  ['${SET}x', 'vx'],
  ['$SET-x', 'v-x'],
  ['$SET.x', 'v.x'],
  ['$SET_x', ''],
  ['$set', ''],
  ['$_', ''],
  ['${_1}', ''],
  ['$1', '$1'],
  ['$é', '$é'],
  ['$$', '$'],
  ['$$$', '$$'],
  ['$$$$SET', '$$SET'],
  ['$$SET', '$SET'],
  ['\\$SET', '\\v'],
  ['${EMPTY-d}', ''],
  ['${EMPTY+a}', 'a'],
  ['${UNSET:-}', ''],
  ['${SET:+}', ''],
  ['${UNSET:-${UNSET2:-deep}}', 'deep'],
  ['${UNSET:-a}b${SET}', 'abv'],
  ['${UNSET:-a}}', 'a}'],
  ['${UNSET:-{}}', '{}'],
  ['${UNSET:-{x}y}', '{x}y'],
  ['${UNSET:-}}', '}'],
  ['${UNSET:-a:-b}', 'a:-b'],
  ['${UNSET:-$$}', '$'],
  ['${UNSET:-$}', '$'],
  ["${UNSET:-'q'}", "'q'"],
  ['${SET:-${UNSET:?boom}}', 'v'],
  ['${EMPTY?m}', ''],
  ['${SET:--a}', 'v'],
  ['${UNSET:--a}', '-a'],
  ['${UNSET--a}', '-a'],
  ['a${UNSET:-x}b${UNSET:-y}c', 'axbyc'],
  ['${UNSET:-x}${SET}', 'xv'],
  ['${UNSET:-${SET:+yes}}', 'yes'],
  ['${SET:+${UNSET:-no}}', 'no'],
];

describe('substitute', () => {
  it.each(COMPOSE_CASES)('compose-go: %j gives %j', (template, expected) => {
    expect(run(template, TEMPLATE_TESTS).value).toBe(expected);
  });

  it.each(EDGE_CASES)('%j gives %j', (template, expected) => {
    expect(run(template, EDGE).value).toBe(expected);
  });

  it.each([
    ['${', InvalidTemplateError],
    ['${}', InvalidTemplateError],
    ['${ }', InvalidTemplateError],
    ['${ foo}', InvalidTemplateError],
    ['${foo }', InvalidTemplateError],
    ['${foo!}', InvalidTemplateError],
    ['${SET', InvalidTemplateError],
    ['${SET:x}', InvalidTemplateError],
    ['${SET:}', InvalidTemplateError],
    ['${SET::-a}', InvalidTemplateError],
    ['${1}', InvalidTemplateError],
    ['${UNSET:-a\nb}', InvalidTemplateError],
    ['${A:-x}${}', InvalidTemplateError],
    ['not ok ${UNSET_VAR:?Mandatory Variable Unset}', RequiredVariableError],
    ['not ok ${BAR:?Mandatory Variable Empty}', RequiredVariableError],
    ['not ok ${UNSET_VAR?}', RequiredVariableError],
    ['${UNSET:-${UNSET2:?boom}}', RequiredVariableError],
  ])('%j is an error (%p)', (template, kind) => {
    expect(() => run(template, TEMPLATE_TESTS)).toThrow(kind);
  });

  it('names the variable a required one misses, never the message text', () => {
    expect(() => run('${UNSET:?the secret is hunter2}', {})).toThrow(
      new RequiredVariableError('UNSET'),
    );
    expect(new RequiredVariableError('UNSET').message).not.toContain('hunter2');
  });

  it('tells which variables were used without a value, and not those with a default', () => {
    expect(run('$A ${B} ${C:-x} ${D-y} ${E:+z} $SET', EDGE).unset).toEqual(['A', 'B']);
  });
});
