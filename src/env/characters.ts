/**
 * The character classes of compose-go's `.env` parser, exactly (JavaScript's `\s` is not one of
 * them), and the escapes of its double-quoted values.
 */

/** Go's `unicode.IsSpace`: skipped between statements, trimmed off keys and unquoted values. */
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/** compose-go's `isSpace`: the same without the newline (a key or a value never spans one). */
const LINE_SPACE = /[\t\v\f\r \u0085\u00a0]/;

/** Is `char` a space between statements (newlines included)? */
export function isSpace(char: string): boolean {
  return UNICODE_SPACE.test(char);
}

/** Is `char` a space within a line? */
export function isLineSpace(char: string): boolean {
  return LINE_SPACE.test(char);
}

/** What may appear in a key as compose reads it (letters, numbers, `_ . - [ ]`). */
export function isKeyChar(char: string): boolean {
  return /^[\p{L}\p{N}_.[\]-]$/u.test(char);
}

/** `text` without the Unicode spaces at its end. */
export function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  return text.slice(0, end);
}

const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  // Kept for the substitution after, which turns `$$` into one `$`.
  $: '$$',
  c: '\\c',
};

/**
 * Decodes the escapes of a double-quoted value as compose-go does, before substitution:
 * `\a \b \f \n \r \t \v \\ \" \$`, and `\0` followed by three octal digits (a code up to 255);
 * `\0` followed by other digits loses its `0`; every other backslash stays as it is.
 */
export function decodeEscapes(text: string): string {
  return text.replace(/\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g, (match) => {
    if (match[1] !== '0') return ESCAPES[match[1]];
    const digits = match.slice(2);
    if (/^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 255)
      return String.fromCharCode(parseInt(digits, 8));
    return `\\${digits}`;
  });
}
