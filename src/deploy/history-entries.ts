/**
 * The deploy history's lines as the host printed them (`history=<json>`), read back. The
 * history file is the host's: anything on it can write any JSON there, so each entry is
 * checked field by field and every text made one sane line before it reaches the report.
 */
import { HISTORY_REPLIES } from '../host-scripts/history.js';
import { readReplies } from '../host-scripts/protocol.js';
import { oneLine } from '../remote-text.js';
import type { HistoryEntry } from '../types/report.js';

/** The longest text kept of one field (a run URL is the longest the action writes). */
const FIELD_LIMIT = 300;

/** The `history=` replies in `stdout`, oldest first; a line that is not an entry is left out. */
export function historyOf(stdout: string): HistoryEntry[] {
  const replies = readReplies(stdout, HISTORY_REPLIES);
  return replies.all(HISTORY_REPLIES.history).flatMap((line) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return [];
    }
    const entry = historyEntry(value);
    return entry ? [entry] : [];
  });
}

/** `value` as a history entry: its texts on one line and cut, its result one of the two. */
export function historyEntry(value: unknown): HistoryEntry | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const result = record.result;
  if (result !== 'success' && result !== 'failure') return undefined;
  const textOf = (name: string) => {
    const field = record[name];
    const text = typeof field === 'string' || typeof field === 'number' ? String(field) : '';
    return oneLine(text).slice(0, FIELD_LIMIT);
  };
  return {
    time: textOf('time'),
    commit: textOf('commit'),
    actor: textOf('actor'),
    result,
    rolledBack: record.rolledBack === true,
    run: textOf('run'),
  };
}
