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
import { sh, type ShellCommand } from '../remote/shell.js';
import { EXIT } from './protocol.js';

/**
 * Shell function `unsafe WHAT`: says what cannot be done safely (`unsafe=` reply) and exits
 * `unsafePath`. Each script that needs it defines it in its own body.
 */
export const UNSAFE = sh`unsafe() { printf 'unsafe=%s\n' "$1"; exit ${EXIT.unsafePath}; }`;

/**
 * Shell functions, run in app-dir: `check_target NAME` fails (`unsafe`) unless every folder on
 * the way to NAME is a real folder (or absent) and NAME is not a folder; `install_file SOURCE
 * NAME` puts a copy of the regular file SOURCE (a path of the action's own, out of app-dir's
 * reach) at NAME, making the folders on the way. A release checks every name before it
 * installs the first, so an unsafe app-dir fails with nothing changed. Needs `unsafe`.
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
install_file() {
  [ -f "$1" ] && [ ! -L "$1" ] || unsafe "$1 is not a file of the release"
  check_target "$2"
  dir=$(dirname -- "$2")
  mkdir -p -- "$dir" || exit 1
  tmp=$(mktemp "$dir/.monarch-tmp.XXXXXX") || exit 1
  if ! { cat -- "$1" >"$tmp" && chmod "$(stat -c %a -- "$1")" "$tmp" && mv -f -T -- "$tmp" "./$2"; }; then
    rm -f -- "$tmp"
    exit 1
  fi
}`;

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
