# shellcheck shell=bash
# scripts/as-root.sh - sourced: `as_root CMD...` runs CMD as root: directly when this is root
# (a container, a fresh VM), through sudo otherwise (keeping the environment and the PATH, so
# the same node and npm run), and says what to do when neither works.
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -E env "PATH=$PATH" "$@"
  else
    echo "$(basename "$0"): this needs root (it creates network namespaces and starts dockerd): run it as root, or install sudo" >&2
    return 1
  fi
}
