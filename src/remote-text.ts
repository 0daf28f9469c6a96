/** Text that came from a host (command output, errors), shortened for messages. */

/** The last few non-empty lines of command output, for an error message. */
export function lastLines(text: string, count = 5): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter(Boolean)
    .slice(-count)
    .join('\n');
}
