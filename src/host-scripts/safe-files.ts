/**
 * Moving files in and out of app-dir without ever following a link there. A container that
 * bind-mounts a folder of app-dir may replace any file in it with a symbolic link (to a file
 * of the SSH user's, or of root's): the deploy must neither read through it nor write through
 * it. The rules every host script follows:
 *
 * - a file is put in place by copying it to a fresh name made by `mktemp` in the same folder and
 *   renaming that over the name (a rename replaces a link as a link, never what it points to);
 * - every folder on the way to a file must be a real folder, not a link (else `unsafe`);
 * - a name that is a folder where a file belongs is `unsafe` (`mv -T` refuses it too);
 * - the action never reads a release back from app-dir: rollbacks restore its own copy.
 */
import { sh, type ShellCommand } from '../shell/command.js';
import { EXIT, replyKeys } from './protocol.js';

/** The reply of `unsafe`: `unsafe=<what cannot be done safely>`. */
export const UNSAFE_REPLIES = replyKeys({ unsafe: 'unsafe' });

/**
 * Shell function `unsafe WHAT`: says what cannot be done safely (`unsafe=` reply) and exits
 * `unsafePath`. Each script that needs it defines it in its own body.
 */
export const UNSAFE = sh`unsafe() { printf '%s=%s\n' ${UNSAFE_REPLIES.unsafe} "$1"; exit ${EXIT.unsafePath}; }`;

/**
 * Shell functions that never follow a link at the moment they use a path, run in app-dir (the
 * current folder), every path relative to it. A check that a name is no link is not enough on
 * its own: a process on the host (a container's, through its mount) may swap the name for a
 * link between the check and the use. So:
 *
 * - `walk_into DIR [make]` enters DIR one folder at a time, each checked (a real folder, made
 *   when absent with `make`, else it returns 1) and, once entered, checked again: the physical
 *   path of where it landed must be the one asked for, so a part swapped for a link before the
 *   `cd` is caught after it (`unsafe`). From there a name is one path component: a rename, a
 *   removal or an exclusive creation of it follows no link.
 * - `copy_file SOURCE NAME` opens SOURCE (reached by `walk_into`), then checks that what it
 *   opened is still the regular file at that name (`-ef` of the open descriptor, so a link
 *   swapped in before the open, or the file swapped back after it, is refused); creates a
 *   fresh name in NAME's folder exclusively (noclobber: a link there makes it fail), writes the
 *   open file into it, gives it the source's mode through its descriptor, never a name, and
 *   renames it over NAME (a rename replaces a link as a link, never what it points to).
 * - `remove_file NAME` removes NAME from its folder entered by `walk_into` (a link as a link).
 * - `set_mode MODE NAME` opens NAME (a file or a folder), checks it as `copy_file` does, and
 *   sets MODE through the open descriptor.
 *
 * Each runs in a subshell of its own (its `cd` stays there) and stops the script when it fails.
 * Needs `unsafe`.
 */
const SAFE_PATHS = sh`walk_into() {
  here=$(pwd -P) || exit 1
  rel=.
  for part in $(printf '%s' "$1" | tr '/' ' '); do
    [ "$part" = . ] && continue
    here="$here/$part" rel="$rel/$part"
    if [ ! -e "$part" ] && [ ! -L "$part" ]; then
      [ -n "\${2:-}" ] || return 1
      mkdir -- "$part" 2>/dev/null || [ -d "$part" ] || exit 1
    fi
    [ -L "$part" ] && unsafe "\${rel#./} in app-dir is a symbolic link"
    [ -d "$part" ] || unsafe "\${rel#./} in app-dir is not a folder"
    cd -P -- "$part" && [ "$(pwd -P)" = "$here" ] || unsafe "\${rel#./} in app-dir is a symbolic link"
  done
}
open_checked() {
  [ -f "$1" ] && [ ! -L "$1" ] || unsafe "$2 is not a file"
  exec 3<"$1" || exit 1
  [ /proc/self/fd/3 -ef "$1" ] && [ ! -L "$1" ] || unsafe "$2 was replaced while it was opened"
}
copy_file() {
  (
    from=$(pwd -P) || exit 1
    walk_into "$(dirname -- "$1")" || unsafe "$1 is not a file"
    open_checked "\${1##*/}" "$1"
    cd -P -- "$from" || exit 1
    walk_into "$(dirname -- "$2")" make
    name=\${2##*/}
    if [ -d "$name" ] && [ ! -L "$name" ]; then unsafe "$2 in app-dir is a folder"; fi
    tmp=$(mktemp -u .monarch-tmp.XXXXXX) || exit 1
    set -C
    exec 4>"$tmp" || exit 1
    if ! { cat <&3 >&4 && chmod "$(stat -L -c %a /proc/self/fd/3)" /proc/self/fd/4 && mv -f -T -- "$tmp" "$name"; }; then
      rm -f -- "$tmp"
      exit 1
    fi
  ) || exit
}
remove_file() {
  (
    walk_into "$(dirname -- "$1")" || exit 0
    name=\${1##*/}
    if [ -d "$name" ] && [ ! -L "$name" ]; then unsafe "$1 in app-dir is a folder"; fi
    rm -f -- "$name"
  ) || exit
}
set_mode() {
  (
    walk_into "$(dirname -- "$2")" || unsafe "$2 is not a file"
    name=\${2##*/}
    [ -e "$name" ] && [ ! -L "$name" ] || unsafe "$2 is not a file"
    exec 3<"$name" || exit 1
    [ /proc/self/fd/3 -ef "$name" ] && [ ! -L "$name" ] || unsafe "$2 was replaced while it was opened"
    chmod "$1" /proc/self/fd/3
  ) || exit
}`;

/**
 * Shell functions, run in app-dir: `check_target NAME` fails (`unsafe`) unless every folder on
 * the way to NAME is a real folder (or absent) and NAME is not a folder; `install_file ROOT
 * NAME` puts a copy of the regular file ROOT/NAME (ROOT: a folder of the action's own under
 * app-dir, relative to it) at NAME, making the folders on the way (`copy_file`). A release
 * checks every name before it installs the first, so an unsafe app-dir fails with nothing
 * changed; the install itself follows no link either, even one swapped in after the checks
 * (see `SAFE_PATHS`). Also defines `walk_into`, `copy_file`, `remove_file` and `set_mode`.
 * Needs `unsafe`.
 */
export const INSTALL_FILE = sh`check_target() {
  path=.
  for part in $(printf '%s' "$(dirname -- "$1")" | tr '/' ' '); do
    [ "$part" = . ] && continue
    path="$path/$part"
    [ -L "$path" ] && unsafe "\${path#./} in app-dir is a symbolic link"
    [ ! -e "$path" ] || [ -d "$path" ] || unsafe "\${path#./} in app-dir is not a folder"
  done
  if [ -d "./$1" ] && [ ! -L "./$1" ]; then unsafe "$1 in app-dir is a folder"; fi
}
${SAFE_PATHS}
install_file() { copy_file "$1/$2" "$2"; }`;

/** A check that `file` is a regular file, not a link: for reading a file of the state folder. */
export function isRegularFile(file: string): ShellCommand {
  return sh`{ [ -f ${file} ] && [ ! -L ${file} ]; }`;
}

/**
 * Writes the output of `producer` to `file` through a fresh temporary name in the same folder
 * and a rename: a link planted at `file` is replaced, never written through.
 */
export function replaceFile(file: string, producer: ShellCommand): ShellCommand {
  const dir = file.slice(0, file.lastIndexOf('/'));
  return sh`tmp=$(mktemp ${`${dir}/.monarch-tmp.XXXXXX`}) &&
  if { ${producer}; } >"$tmp"; then mv -f -T -- "$tmp" ${file}; else rm -f -- "$tmp"; false; fi`;
}
