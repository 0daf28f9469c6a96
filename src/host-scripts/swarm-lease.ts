/**
 * The swarm-wide deploy lock of a stack: a Swarm config, `monarch-lock-<stack>`, which only one
 * `docker config create` can make (the managers agree on it through raft), so two runs that
 * reach the swarm through different managers never deploy the stack at once. It carries who
 * holds it and since when (`monarch.since`, seconds); one older than its holder's whole budget
 * is a dead run's, and is taken over.
 */
import { sh } from '../remote/shell.js';
import { EXIT } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

function leaseName(stack: string): string {
  return `monarch-lock-${stack}`;
}

/**
 * Takes the lease, waiting up to `seconds` for another run's; `staleSeconds`: the age after
 * which a lease is a dead run's. Prints `lock_waited=<seconds>` when it waited; when it gives up,
 * `holder=<who holds it>` and `lease=swarm`, and exits `locked`.
 */
export function takeLease(
  stack: string,
  seconds: number,
  staleSeconds: number,
  holder: string,
): HostScript {
  const name = leaseName(stack);
  return hostScript(
    'monarch_take_lease',
    sh`asked=$(date +%s)
while :; do
  now=$(date +%s)
  if printf '%s %s' ${holder} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" | docker config create --label monarch.lock=1 --label "monarch.since=$now" ${name} - >/dev/null 2>&1; then
    [ "$now" -le "$asked" ] || echo "lock_waited=$((now - asked))"
    exit 0
  fi
  since=$(docker config inspect --format '{{index .Spec.Labels "monarch.since"}}' ${name} 2>/dev/null) || since=
  case $since in
    '' | *[!0-9]*) ;;
    *) if [ $((now - since)) -gt ${staleSeconds} ]; then docker config rm ${name} >/dev/null 2>&1; continue; fi ;;
  esac
  if [ $((now - asked)) -ge ${seconds} ]; then
    docker config inspect --format '{{json .Spec.Data}}' ${name} 2>/dev/null | tr -d '"' | base64 -d 2>/dev/null | head -c 1024 | sed 's/^/holder=/'
    echo
    echo lease=swarm
    exit ${EXIT.locked}
  fi
  sleep 1
done`,
  );
}

/** Gives the lease back (run once the flock on app-dir is released). */
export function releaseLease(stack: string): HostScript {
  return hostScript(
    'monarch_release_lease',
    sh`docker config rm ${leaseName(stack)} >/dev/null 2>&1
exit 0`,
  );
}
