/**
 * The protocol between the action and its host programs: each exit code and each reply key is
 * declared once (`EXIT`, and the `*_REPLIES` beside each program), and replies are read only by
 * the keys their programs declared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, readReplies, replyKeys, type ReplyKeys } from '../../src/host-scripts/protocol.js';
import { NOT_STARTED_EXIT, TIMED_OUT } from '../../src/shell/timed.js';

const DIR = path.resolve('src/host-scripts');
const sources = readdirSync(DIR)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(path.join(DIR, name), 'utf8') }));

/** Every `*_REPLIES` declaration that src/host-scripts/ exports, by `module:NAME`. */
async function declarations(): Promise<Map<string, ReplyKeys>> {
  const found = new Map<string, ReplyKeys>();
  for (const { name } of sources) {
    const module = (await import(path.join(DIR, name))) as Record<string, unknown>;
    for (const [exported, value] of Object.entries(module))
      if (exported.endsWith('_REPLIES')) found.set(`${name}:${exported}`, value as ReplyKeys);
  }
  return found;
}

describe('exit codes', () => {
  it('no two codes are the same, and none is one of the shell, timeout(1) or a signal', () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) {
      expect(code).toBeGreaterThan(1);
      expect(code).toBeLessThan(124);
      expect(TIMED_OUT).not.toContain(code);
    }
    expect(EXIT.notStarted).toBe(NOT_STARTED_EXIT);
  });
});

describe('reply keys', () => {
  it('each key is declared once, by one program', async () => {
    const owners = new Map<string, string[]>();
    for (const [where, keys] of await declarations())
      for (const key of Object.values(keys)) owners.set(key, [...(owners.get(key) ?? []), where]);
    const twice = [...owners].filter(([, where]) => where.length > 1);
    expect(twice).toEqual([]);
    // The declarations are found at all: the programs' own keys are among them.
    expect([...owners.keys()]).toEqual(expect.arrayContaining(['waited', 'holder', 'rolled']));
  });

  it('no program prints a reply key as a literal: each comes from its declaration', async () => {
    const keys = [...(await declarations()).values()].flatMap((declared) =>
      Object.values(declared),
    );
    // The shapes a reply is printed in: echo/printf, a sed prefix, a docker --format template.
    const literal = new RegExp(`(echo "?|printf '|s/\\^/|--format '|-f '|/)(${keys.join('|')})=`);
    const offending = sources.flatMap(({ name, text }) =>
      text
        .split('\n')
        .filter((line) => !/^\s*(\*|\/\/|\/\*\*)/.test(line) && literal.test(line))
        .map((line) => `${name}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });

  it('a key is lower case letters and `_`, or the declaration fails', () => {
    expect(() => replyKeys({ bad: 'Bad-Key' })).toThrow('not a reply key: "Bad-Key"');
    expect(() => replyKeys({ bad: '' })).toThrow('not a reply key');
  });

  it('reads only the declared keys, each value kept on one line', () => {
    const SOME = replyKeys({ user: 'user', holder: 'holder' });
    const replies = readReplies(
      'user=deploy\nholder=a\u001b[31m\nholder=b\nlease=swarm\nnot a reply\n=x\n',
      SOME,
    );
    expect(replies.get(SOME.user)).toBe('deploy');
    expect(replies.all(SOME.holder)).toEqual(['a\\x1b[31m', 'b']);
    // 'lease' is not one of SOME's keys: its line is not read (and the type refuses it).
    expect(replies.get('lease' as never)).toBeUndefined();
    expect(replies.number(SOME.user, 7)).toBe(7);
  });

  it('reads several programs at once, by the keys of each', () => {
    const A = replyKeys({ waited: 'waited' });
    const B = replyKeys({ user: 'user' });
    const replies = readReplies('waited=3\nuser=deploy\n', A, B);
    expect([replies.number(A.waited), replies.get(B.user)]).toEqual([3, 'deploy']);
  });
});
