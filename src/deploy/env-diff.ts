/**
 * Which `.env` keys a deploy adds, changes or removes: what a dry run reports, never values.
 * Both files are read as compose reads them, so a value that is written differently but means
 * the same (the `.env` the action wrote, given back as `env`) is not a change.
 */
import { parseEnv } from '../env/parse.js';
import type { DryRunReport } from '../types/report.js';
import type { EnvVar } from '../types/settings.js';

/** The keys that differ; a current file that cannot be read counts as holding none. */
export function diffEnv(
  current: string | null,
  next: readonly EnvVar[],
): Pick<DryRunReport, 'added' | 'changed' | 'removed'> & { readonly unreadable: boolean } {
  let before = new Map<string, string>();
  let unreadable = false;
  try {
    if (current !== null) before = new Map(parseEnv(current).vars.map((v) => [v.key, v.value]));
  } catch {
    unreadable = true;
  }
  const after = new Map(next.map((v) => [v.key, v.value]));
  return {
    added: [...after.keys()].filter((key) => !before.has(key)),
    changed: [...after.keys()].filter(
      (key) => before.has(key) && before.get(key) !== after.get(key),
    ),
    removed: [...before.keys()].filter((key) => !after.has(key)),
    unreadable,
  };
}
