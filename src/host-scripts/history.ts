/** The deploy history of app-dir: one JSON line per deploy, the last ones read back. */
import { sh } from '../shell/command.js';
import type { Layout } from './layout.js';
import { replyKeys } from './protocol.js';
import { isRegularFile, replaceFile } from './safe-files.js';
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

/** How many entries the history keeps. */
const HISTORY_KEPT = 1000;

/** The reply of `recordHistory`: `history=<json>`, one per entry shown. */
export const HISTORY_REPLIES = replyKeys({ history: 'history' });

/**
 * Appends `record`, with the time, to the history (through a rename: a link planted at its name
 * is replaced, never written through), keeping the last entries; prints the last lines as
 * `history=<json>`, each cut to a sane length.
 */
export function recordHistory(layout: Layout, record: HistoryRecord): HostScript {
  // The JSON object without its opening brace: the time goes first.
  const rest = JSON.stringify({
    commit: record.commit,
    actor: record.actor,
    result: record.result,
    rolledBack: record.rolledBack,
    run: record.run,
  }).slice(1);
  const history = layout.historyFile;
  return hostScript(
    'monarch_record_history',
    sh`${replaceFile(
      history,
      sh`if ${isRegularFile(history)}; then tail -n ${HISTORY_KEPT - 1} ${history} | cut -c 1-4096; fi
printf '{"time":"%s",%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ${rest}`,
    )} || exit 1
tail -n ${HISTORY_SHOWN} ${history} | cut -c 1-4096 | sed ${`s/^/${HISTORY_REPLIES.history}=/`}`,
  );
}
