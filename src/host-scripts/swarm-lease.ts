/**
 * The swarm-wide deploy lock of a stack: a Swarm config, `monarch-lock-<stack>`, which only one
 * `docker config create` can make (the managers agree on it through raft), so two runs that
 * reach the swarm through different managers never deploy the stack at once. It carries who
 * holds it and since when (`monarch.since`, seconds), and its owner's token (`monarch.token`,
 * unique to the run). A config cannot change once made, and its ID is never reused: every
 * removal names the ID read in the same `inspect` as what decided it (the token that says it
 * is ours, the age that says it is a dead run's), so a run removes the very lease it judged
 * and never one made since by another run.
 */
import { sh } from '../shell/command.js';
import { LOCK_REPLIES } from './prepare.js';
import { EXIT, replyKeys } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

function leaseName(stack: string): string {
  return `monarch-lock-${stack}`;
}

/** Who takes a stack's lease, for how long it waits, and when another's is a dead run's. */
export interface LeaseClaim {
  readonly stack: string;
  /** How long to wait for another run's lease. */
  readonly waitSeconds: number;
  /** The age after which a lease is a dead run's (`staleLeaseSeconds`). */
  readonly staleSeconds: number;
  /** Who holds it, shown to a run that waits (`<who> since`: the time is added). */
  readonly holder: string;
  /** Unique to this run: only the lease that carries it is given back. */
  readonly token: string;
}

/** What a lease that gave up adds to `LOCK_REPLIES`: `lease=swarm`, the lock that was held. */
export const LEASE_REPLIES = replyKeys({ lease: 'lease' });

/**
 * Takes the lease, waiting up to `waitSeconds` for another run's. One older than
 * `staleSeconds` is removed by its ID (so of two runs that judged it stale, one removes it and
 * the other's removal fails; both then race to create, and one `create` wins). Prints
 * `lock_waited=<seconds>` when it waited; when it gives up, `holder=<who holds it>` and
 * `lease=swarm`, and exits `locked`.
 */
export function takeLease(claim: LeaseClaim): HostScript {
  const name = leaseName(claim.stack);
  return hostScript(
    'monarch_take_lease',
    sh`asked=$(date +%s)
while :; do
  now=$(date +%s)
  if printf '%s %s' ${claim.holder} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" | docker config create --label monarch.lock=1 --label "monarch.since=$now" --label ${`monarch.token=${claim.token}`} ${name} - >/dev/null 2>&1; then
    [ "$now" -le "$asked" ] || echo "${LOCK_REPLIES.lockWaited}=$((now - asked))"
    exit 0
  fi
  lease=$(docker config inspect --format '{{.ID}} {{index .Spec.Labels "monarch.since"}}' ${name} 2>/dev/null) || lease=
  case $lease in
    *' '*) id=\${lease%% *} since=\${lease#* } ;;
    *) id= since= ;;
  esac
  case $since in
    '' | *[!0-9]*) ;;
    *) if [ -n "$id" ] && [ $((now - since)) -gt ${claim.staleSeconds} ] && docker config rm "$id" >/dev/null 2>&1; then continue; fi ;;
  esac
  if [ $((now - asked)) -ge ${claim.waitSeconds} ]; then
    docker config inspect --format '{{json .Spec.Data}}' ${name} 2>/dev/null | tr -d '"' | base64 -d 2>/dev/null | head -c 1024 | sed ${`s/^/${LOCK_REPLIES.holder}=/`}
    echo
    echo ${LEASE_REPLIES.lease}=swarm
    exit ${EXIT.locked}
  fi
  sleep 1
done`,
  );
}

/**
 * Gives the lease back (run once the flock on app-dir is released), only when it is still
 * this run's (`token`): one taken over after this run was judged dead is the new owner's.
 */
export function releaseLease(stack: string, token: string): HostScript {
  return hostScript(
    'monarch_release_lease',
    sh`lease=$(docker config inspect --format '{{.ID}} {{index .Spec.Labels "monarch.token"}}' ${leaseName(stack)} 2>/dev/null) || exit 0
if [ "\${lease#* }" = ${token} ]; then docker config rm "\${lease%% *}" >/dev/null 2>&1; fi
exit 0`,
  );
}
