/** The deploy history of app-dir: one JSON line per deploy, the last ones read back. */
import { sh } from '../remote/shell.js';
import type { Layout } from './layout.js';
import { hostScript, type HostScript } from './script.js';

/** What a history line records, apart from its time (the host's clock, UTC). */
export interface HistoryRecord {
  readonly commit: string;
  readonly actor: string;
  readonly result: 'success' | 'failure';
  readonly rolledBack: boolean;
  readonly run: string;
}

/** How many entries the report reads back. */
export const HISTORY_SHOWN = 5;

/** Appends `record`, with the time, to the history; prints its last lines as `history=<json>`. */
export function recordHistory(layout: Layout, record: HistoryRecord): HostScript {
  // The JSON object without its opening brace: the time goes first.
  const rest = JSON.stringify({
    commit: record.commit,
    actor: record.actor,
    result: record.result,
    rolledBack: record.rolledBack,
    run: record.run,
  }).slice(1);
  return hostScript(
    'monarch_record_history',
    sh`printf '{"time":"%s",%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ${rest} >>${layout.historyFile}
tail -n ${HISTORY_SHOWN} ${layout.historyFile} | sed 's/^/history=/'`,
  );
}
