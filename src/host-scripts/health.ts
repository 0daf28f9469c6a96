/** The health gate after `up`: every container running, and healthy where it has a healthcheck. */
import { sh } from '../shell/command.js';
import { EXIT, replyKeys } from './protocol.js';
import { hostScript, type HostScript } from './script.js';

/** How many lines of a failing container's log the error shows. */
const LOG_LINES = 15;

/** The reply of `checkHealth`: `healthy_after=<seconds waited>`. */
export const HEALTH_REPLIES = replyKeys({ healthyAfter: 'healthy_after' });

/**
 * Waits, on the host, for at most `seconds`, until every container given as an argument is
 * running and, where it has a healthcheck, healthy; prints `healthy_after=<seconds>`. A
 * container without a healthcheck must have been running for a second: one that started in
 * an earlier second than the one before now (by docker's `StartedAt`, which a restart resets)
 * passes at the first check, so a container `up` did not recreate costs no wait; one that has
 * just started must still be running at a check a second later (a crash right after start
 * shows as a restart). A one-shot service that exited 0 is done. An exited,
 * unhealthy or restarting container fails at once (exit `unhealthy`) with the service's last
 * log lines on stderr; running out of time exits `healthTimeout`. Does not trust
 * `up --wait`, which compose v1 ignores.
 */
export function checkHealth(seconds: number): HostScript {
  return hostScript(
    'monarch_check_health',
    sh`if [ $# -eq 0 ]; then echo "no container of the project is running" >&2; exit ${EXIT.unhealthy}; fi
waited=0 stable=0 seen=
while :; do
  ready=1 needed=1
  settled=$(date -u -d "@$(($(date +%s) - 1))" +%Y-%m-%dT%H:%M:%S 2>/dev/null) || settled=
  states=$(docker inspect -f '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.StartedAt}} {{index .Config.Labels "com.docker.compose.service"}}' "$@") || exit ${EXIT.unhealthy}
  while read -r id status code restarts health started service; do
    id=\${id#/}
    case " $seen " in *" $id:"*) ;; *) seen="$seen $id:$restarts" ;; esac
    problem=
    case "$status/$health" in
      running/healthy) ;;
      running/none) if [ -z "$settled" ] || [ ! "\${started%%[.Z]*}" \< "$settled" ]; then needed=2; fi ;;
      exited/*) if [ "$code" != 0 ]; then problem="exited with code $code"; fi ;; # 0: a one-shot task done
      running/starting|created/*) ready=0 ;;
      *) problem="is $status ($health)" ;;
    esac
    case " $seen " in *" $id:$restarts "*) ;; *) problem="restarted $restarts times (crash loop?)" ;; esac
    if [ -n "$problem" ]; then
      echo "service $service $problem; its last log lines:" >&2
      docker logs --tail ${LOG_LINES} "$id" 2>&1 | sed 's/^/  /' >&2
      exit ${EXIT.unhealthy}
    fi
  done <<STATES
$states
STATES
  if [ "$ready" = 1 ]; then stable=$((stable + 1)); else stable=0; fi
  if [ "$stable" -ge "$needed" ]; then echo "${HEALTH_REPLIES.healthyAfter}=$waited"; exit 0; fi
  if [ "$waited" -ge ${seconds} ]; then exit ${EXIT.healthTimeout}; fi
  sleep 1; waited=$((waited + 1))
done`,
  );
}
