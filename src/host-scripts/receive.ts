/** Receiving a release: the files of a deploy arrive as a tar archive on standard input. */
import { lines, sh, type ShellCommand } from '../shell/command.js';
import { inAppDir, type Layout } from './layout.js';
import { INSTALL_FILE, UNSAFE } from './safe-files.js';
import { EXIT } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

/** A file or folder of the release, relative to the staging folder, and the mode it gets. */
export interface ReceivedEntry {
  readonly name: string;
  readonly mode: number;
}

/**
 * Creates this run's staging folder (it must not exist), enters it without following a link
 * and checks, once in, that it is the folder just made (where it should be, the SSH user's,
 * empty), and unpacks the archive on standard input into it: one command, no SFTP session to
 * open. Everything is created under umask 077 (nothing is readable by others while it is
 * written: `.env` and the docker config are 0600 from creation), owned by the SSH user (`-o`),
 * then each entry gets its own mode through an open descriptor, never a name a link could be
 * swapped in for (`set_mode`). The archive is the action's own, written on the runner: its
 * names are the checked release names.
 */
export function receiveRelease(layout: Layout, entries: readonly ReceivedEntry[]): HostScript {
  const byMode = new Map<number, string[]>();
  for (const entry of entries)
    byMode.set(entry.mode, [...(byMode.get(entry.mode) ?? []), entry.name]);
  const modes: ShellCommand[] = [...byMode].map(
    ([mode, names]) => sh`for f in ${names}; do set_mode ${(mode & 0o7777).toString(8)} "$f"; done`,
  );
  const staging = inAppDir(layout, layout.stagingDir);
  return hostScript(
    'monarch_receive_release',
    sh`${UNSAFE}
${INSTALL_FILE}
umask 077
cd ${layout.appDir} || exit ${EXIT.uploadFailed}
mkdir -- ${layout.stagingDir} || exit ${EXIT.uploadFailed}
walk_into ${staging} || exit ${EXIT.uploadFailed}
[ -O . ] && [ -z "$(ls -A)" ] || unsafe ${`${layout.stagingDir} was replaced as it was made`}
tar -x -o -f - || exit ${EXIT.uploadFailed}
${lines(modes)}`,
  );
}
