/** Putting the previous release back: its files, then its images under the names it uses. */
import { sh } from '../shell/command.js';
import { inAppDir, type Layout } from './layout.js';
import { INSTALL_FILE, isRegularFile, UNSAFE } from './safe-files.js';
import { hostScript, type HostScript } from './script.js';

/**
 * Puts the previous release's files back into app-dir from the action's own copy of it (never
 * from app-dir itself), each copied and renamed into place; a file of the failed release
 * (`files`) that the previous one did not have is removed (a link there is removed as a link,
 * from its folder entered without following a link: see safe-files.ts).
 */
export function restoreRelease(layout: Layout, files: readonly string[]): HostScript {
  const release = layout.releaseDir;
  return hostScript(
    'monarch_restore_release',
    sh`${UNSAFE}
${INSTALL_FILE}
[ -d ${release} ] && [ ! -L ${release} ] || unsafe ${`${release} is missing: there is no release to roll back to`}
cd ${layout.appDir} || exit 1
restored=$(cd ${release} && find . -type f ! -name '.monarch-tmp.*' | sed 's|^\./||') || exit 1
for f in $restored ${files}; do check_target "$f"; done
for f in $restored; do install_file ${inAppDir(layout, release)} "$f"; done
for f in ${files}; do
  [ -e ${release}/"$f" ] || [ -L ${release}/"$f" ] || remove_file "$f"
done`,
  );
}

/**
 * Tags the image IDs that ran before this deploy again under the names the previous compose
 * file uses (a pull may have moved a tag such as `latest`); a digest reference cannot move and
 * is left as it is.
 */
export function retagPrevious(layout: Layout): HostScript {
  const images = layout.rollbackImages;
  return hostScript(
    'monarch_retag_previous',
    sh`${isRegularFile(images)} || exit 0
while read -r ref id; do
  case $ref in *@*|'') continue ;; esac
  docker tag -- "$id" "$ref" || exit 1
done <${images}`,
  );
}
