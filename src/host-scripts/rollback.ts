/** Putting the previous release back: its files, then its images under the names it uses. */
import { sh } from '../remote/shell.js';
import type { Layout } from './layout.js';
import { hostScript, type HostScript } from './script.js';

/**
 * Puts the previous release's `files` back into app-dir, each with a copy and a rename; a file
 * the previous release did not have is removed.
 */
export function restoreFiles(layout: Layout, files: readonly string[]): HostScript {
  const previous = layout.previousDir;
  return hostScript(
    'monarch_restore_files',
    sh`cd ${layout.appDir} || exit 1
for f in ${files}; do
  if [ -e ${previous}/"$f" ]; then
    cp -p ${previous}/"$f" "$f.monarch-restore" && mv -f "$f.monarch-restore" "$f" || exit 1
  else
    rm -f "$f"
  fi
done`,
  );
}

/**
 * Tags the previous release's image IDs again under the names its compose file uses (a pull
 * may have moved a tag such as `latest`); a digest reference cannot move and is left as it is.
 */
export function retagPrevious(layout: Layout): HostScript {
  const images = `${layout.previousDir}/images`;
  return hostScript(
    'monarch_retag_previous',
    sh`[ -s ${images} ] || exit 0
while read -r ref id; do
  case $ref in *@*) continue ;; esac
  docker tag "$id" "$ref" || exit 1
done <${images}`,
  );
}
