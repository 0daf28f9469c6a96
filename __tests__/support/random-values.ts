/** Random values made of every kind of character a secret may hold, from a seed (repeatable). */

/** The kinds of characters, each drawn as often as the others. */
const CLASSES: readonly string[][] = [
  [...'abcXYZ019_-./:@+=,'],
  [' ', '\t', '\n', '\r', '\r\n', '\v', '\f'],
  ["'", '"', '`'],
  ['\\', '\\\\', '\\n', '\\$', '\\"', "\\'", '\\0123'],
  ['$', '$$', '${', '}', '${X}', '$HOME', '${A:-b}', '$1', '{', '$('],
  ['#', ' #', '=', ';', '&', '|', '*', '!', '%', '<', '>', '[', ']', '~', '^', '?'],
  ['é', '€', 'ü', '中', '🙂', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u0085'],
  ['\x01', '\x07', '\x1b', '\x1f', '\x7f'],
];

/** A small, seeded PRNG (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values of 0 to `maxParts` pieces each. */
export function randomValues(count: number, seed = 42, maxParts = 12): string[] {
  const random = generator(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(random() * (maxParts + 1)) }, () => pick(pick(CLASSES))).join(
      '',
    ),
  );
}
