/** Removing a project's old images without touching what runs or what a rollback needs. */
import { sh } from '../shell/command.js';
import type { Layout } from './layout.js';
import { replyKeys } from './protocol.js';
import { isRegularFile } from './safe-files.js';
import { hostScript, type HostScript } from './script.js';

/** The reply of an image prune (`pruneImages`, and the swarm's): `removed=<count>`. */
export const PRUNE_REPLIES = replyKeys({ removed: 'removed' });

/**
 * Removes this project's old images: those of the repositories its services use (the running
 * containers, given as arguments, and those that ran before this deploy) that no container on
 * the host uses, except those that ran before this deploy (a rollback needs them). Other
 * projects' images are left alone. Three docker calls, plus one `rmi` per image removed.
 * Prints `removed=<count>`. Not `docker image prune -a`: it also untags images the
 * running containers use.
 */
export function pruneImages(layout: Layout): HostScript {
  const previous = layout.rollbackImages;
  const readPrevious = (field: number) =>
    sh`if ${isRegularFile(previous)}; then cut -d' ' -f${field} ${previous}; fi`;
  return hostScript(
    'monarch_prune_images',
    sh`all=$(docker ps -aq --no-trunc) || exit 1
used=$(if [ -n "$all" ]; then docker inspect -f '{{.ID}} {{.Config.Image}} {{.Image}}' $all; fi) || exit 1
repos=$( { printf '%s\n' "$used" | awk -v ids=" $* " 'index(ids, " " $1 " ") { print $2 }'; ${readPrevious(1)}; } | sed -e 's/@.*$//' -e 's/:[^:/]*$//' | sort -u)
keep=$( { printf '%s\n' "$used" | awk 'NF { print $3 }'; ${readPrevious(2)}; } | sort -u)
images=$(docker images --no-trunc --format '{{.Repository}} {{.ID}}') || exit 1
removed=0
while read -r repo id; do
  [ -n "$id" ] || continue
  printf '%s\n' "$repos" | grep -qxF "$repo" || continue
  printf '%s\n' "$keep" | grep -qxF "$id" && continue
  docker rmi -f -- "$id" >/dev/null 2>&1 && removed=$((removed + 1))
done <<IMAGES
$images
IMAGES
echo "${PRUNE_REPLIES.removed}=$removed"`,
  );
}
