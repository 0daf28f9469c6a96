/** Receiving a release: the files of a deploy arrive as a tar archive on standard input. */
import { lines, sh, type ShellCommand } from '../remote/shell.js';
import type { Layout } from './layout.js';
import { EXIT } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

/** A file or folder of the release, relative to the staging folder, and the mode it gets. */
export interface ReceivedEntry {
  readonly name: string;
  readonly mode: number;
}

/**
 * Creates this run's staging folder (it must not exist) and unpacks the archive on standard
 * input into it: one command, no SFTP session to open. Everything is created under umask 077
 * (nothing is readable by others while it is written: `.env` and the docker config are 0600
 * from creation), owned by the SSH user (`-o`), then each entry gets its own mode. The archive
 * is the action's own, written on the runner: its names are the checked release names.
 */
export function receiveRelease(layout: Layout, entries: readonly ReceivedEntry[]): HostScript {
  const byMode = new Map<number, string[]>();
  for (const entry of entries)
    byMode.set(entry.mode, [...(byMode.get(entry.mode) ?? []), entry.name]);
  const modes: ShellCommand[] = [...byMode].map(
    ([mode, names]) =>
      sh`chmod ${(mode & 0o7777).toString(8)} -- ${names} || exit ${EXIT.uploadFailed}`,
  );
  return hostScript(
    'monarch_receive_release',
    sh`umask 077
mkdir -- ${layout.stagingDir} || exit ${EXIT.uploadFailed}
cd ${layout.stagingDir} || exit ${EXIT.uploadFailed}
tar -x -o -f - || exit ${EXIT.uploadFailed}
${lines(modes)}`,
  );
}
