export const id = 605;
export const ids = [605];
export const modules = {

/***/ 6158:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L_: () => (/* binding */ composeConfigCheck),
/* harmony export */   aF: () => (/* binding */ dryRunChecks),
/* harmony export */   fL: () => (/* binding */ stackCheck),
/* harmony export */   lj: () => (/* binding */ DRY_RUN_REPLIES)
/* harmony export */ });
/* unused harmony exports DRY_RUN_PREFIX, MAX_ENV_BYTES */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2951);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4201);
/* harmony import */ var _shell_timed_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5701);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4175);
/* harmony import */ var _prepare_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6916);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4324);
/**
 * A dry run's checks, in one long-lived command that owns a temporary folder outside app-dir:
 * it makes the folder, says it is ready, waits for `go`, the compose command and the release
 * (an archive, unpacked into the folder), checks, and removes the folder on any way out (an
 * upload that failed, a connection that dropped, a timeout): the throwaway login never stays
 * behind.
 */






/** Where the dry run's temporary folders are made; nothing else there is ever removed. */
const DRY_RUN_PREFIX = '/tmp/monarch-dry-run.';
/** The largest `.env` a dry run reads to compare: anything larger is not one the action wrote. */
const MAX_ENV_BYTES = 1024 * 1024;
/** The replies of a dry run: what `dryRunChecks` found before and after its checks. */
const DRY_RUN_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .replyKeys */ .x1)({
    appDir: 'app_dir',
    currentEnv: 'current_env',
    loginError: 'login_error',
    composeError: 'compose_error',
    stackService: 'stack_service',
});
/**
 * Prints `app_dir=yes` when app-dir exists, `current_env=<base64>` (the running release's
 * `.env`, from the action's copy or app-dir, only a regular file of at most `MAX_ENV_BYTES`;
 * `current_env=unreadable` otherwise), then `READY_LINE`; reads `GO_LINE`, the compose
 * command (`docker compose` or `docker-compose`) and the release's tar archive from its input;
 * then, in `<tmp>/release`, runs `check` (`composeConfigCheck` or `stackCheck`) and, with
 * `server`, a bare `docker login` through the release's docker config (`login_error=1`, its
 * errors on stderr). Exits 1 if a check failed.
 */
function dryRunChecks(layout, check, server) {
    const candidates = [`${layout.releaseDir}/.env`, `${layout.appDir}/.env`];
    const login = server
        ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `if ! DOCKER_CONFIG="$tmp/release/${_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_CONFIG_DIR */ .KO}" docker login -- ${server} </dev/null >/dev/null 2>"$tmp/login.err"; then
  echo ${DRY_RUN_REPLIES.loginError}=1; cat "$tmp/login.err" >&2; status=1
fi`
        : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `:`;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_dry_run_checks', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `tmp=$(mktemp -d ${`${DRY_RUN_PREFIX}XXXXXX`}) || exit 1
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM
if [ -d ${layout.appDir} ]; then echo ${DRY_RUN_REPLIES.appDir}=yes; fi
for f in ${candidates}; do
  [ -e "$f" ] || [ -L "$f" ] || continue
  if [ -f "$f" ] && [ ! -L "$f" ] && [ "$(wc -c <"$f")" -le ${MAX_ENV_BYTES} ]; then
    echo "${DRY_RUN_REPLIES.currentEnv}=$(base64 <"$f" | tr -d '\n')"
  else
    echo ${DRY_RUN_REPLIES.currentEnv}=unreadable
  fi
  break
done
echo ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .READY_LINE */ .je}
IFS= read -r go && [ "$go" = ${_shell_timed_js__WEBPACK_IMPORTED_MODULE_1__/* .GO_LINE */ .qh} ] || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.notStarted}
IFS= read -r compose || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.notStarted}
status=0
umask 077
mkdir -- "$tmp/release" && cd "$tmp/release" && tar -x -o -f - || exit 1
${check}
${login}
exit $status`);
}
/**
 * The compose check of a dry run: `compose config` of the release with the compose command the
 * host named (`$compose`); `compose_error=1` and its output when it fails.
 */
function composeConfigCheck(project) {
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `case $compose in
  'docker compose') set -- docker compose ;;
  docker-compose) set -- docker-compose ;;
  *) exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.noDocker} ;;
esac
${(0,_prepare_js__WEBPACK_IMPORTED_MODULE_3__/* .composeCall */ .hd)(project, (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `"$@"`)} config --quiet </dev/null 2>&1 || { echo "${DRY_RUN_REPLIES.composeError}=1"; status=1; }`;
}
/** The swarm check of a dry run: the stack's services as they run now (`stack_service=`). */
function stackCheck(stack) {
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `docker service ls --filter ${(0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .stackFilter */ .R)(stack)} --format ${`${DRY_RUN_REPLIES.stackService}={{.Name}}`} </dev/null || status=1`;
}


/***/ }),

/***/ 6239:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cJ: () => (/* binding */ recordHistory),
/* harmony export */   q4: () => (/* binding */ HISTORY_REPLIES)
/* harmony export */ });
/* unused harmony export HISTORY_SHOWN */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2951);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4175);
/* harmony import */ var _safe_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5180);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4324);
/** The deploy history of app-dir: one JSON line per deploy, the last ones read back. */




/** How many entries the report reads back. */
const HISTORY_SHOWN = 5;
/** How many entries the history keeps. */
const HISTORY_KEPT = 1000;
/** The reply of `recordHistory`: `history=<json>`, one per entry shown. */
const HISTORY_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .replyKeys */ .x1)({ history: 'history' });
/**
 * Appends `record`, with the time, to the history (through a rename: a link planted at its name
 * is replaced, never written through), keeping the last entries; prints the last lines as
 * `history=<json>`, each cut to a sane length.
 */
function recordHistory(layout, record) {
    // The JSON object without its opening brace: the time goes first.
    const rest = JSON.stringify({
        commit: record.commit,
        actor: record.actor,
        result: record.result,
        rolledBack: record.rolledBack,
        run: record.run,
    }).slice(1);
    const history = layout.historyFile;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_2__/* .hostScript */ .Q1)('monarch_record_history', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .replaceFile */ .fR)(history, (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `if ${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .isRegularFile */ .Ze)(history)}; then tail -n ${HISTORY_KEPT - 1} ${history} | cut -c 1-4096; fi
printf '{"time":"%s",%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ${rest}`)} || exit 1
tail -n ${HISTORY_SHOWN} ${history} | cut -c 1-4096 | sed ${`s/^/${HISTORY_REPLIES.history}=/`}`);
}


/***/ }),

/***/ 1431:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  NM: () => (/* binding */ dryRunProgram),
  Wj: () => (/* binding */ lockProgram),
  Qq: () => (/* binding */ pullProgram),
  uD: () => (/* binding */ recordFailureProgram),
  v$: () => (/* binding */ removeFolder),
  j8: () => (/* binding */ removeFolderProgram),
  NB: () => (/* binding */ rollbackProgram),
  Xd: () => (/* binding */ startProgram),
  QW: () => (/* binding */ waitAndDetect)
});

// EXTERNAL MODULE: ./src/shell/command.ts
var command = __webpack_require__(2951);
// EXTERNAL MODULE: ./src/host-scripts/dry-run.ts
var dry_run = __webpack_require__(6158);
// EXTERNAL MODULE: ./src/host-scripts/protocol.ts
var protocol = __webpack_require__(4175);
// EXTERNAL MODULE: ./src/host-scripts/script.ts
var script = __webpack_require__(4324);
;// CONCATENATED MODULE: ./src/host-scripts/health.ts
/** The health gate after `up`: every container running, and healthy where it has a healthcheck. */



/** How many lines of a failing container's log the error shows. */
const LOG_LINES = 15;
/** The reply of `checkHealth`: `healthy_after=<seconds waited>`. */
const HEALTH_REPLIES = (0,protocol/* replyKeys */.x1)({ healthyAfter: 'healthy_after' });
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
function checkHealth(seconds) {
    return (0,script/* hostScript */.Q1)('monarch_check_health', (0,command.sh) `if [ $# -eq 0 ]; then echo "no container of the project is running" >&2; exit ${protocol/* EXIT */.dc.unhealthy}; fi
waited=0 stable=0 seen=
while :; do
  ready=1 needed=1
  settled=$(date -u -d "@$(($(date +%s) - 1))" +%Y-%m-%dT%H:%M:%S 2>/dev/null) || settled=
  states=$(docker inspect -f '{{.Name}} {{.State.Status}} {{.State.ExitCode}} {{.RestartCount}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.StartedAt}} {{index .Config.Labels "com.docker.compose.service"}}' "$@") || exit ${protocol/* EXIT */.dc.unhealthy}
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
      exit ${protocol/* EXIT */.dc.unhealthy}
    fi
  done <<STATES
$states
STATES
  if [ "$ready" = 1 ]; then stable=$((stable + 1)); else stable=0; fi
  if [ "$stable" -ge "$needed" ]; then echo "${HEALTH_REPLIES.healthyAfter}=$waited"; exit 0; fi
  if [ "$waited" -ge ${seconds} ]; then exit ${protocol/* EXIT */.dc.healthTimeout}; fi
  sleep 1; waited=$((waited + 1))
done`);
}

// EXTERNAL MODULE: ./src/host-scripts/history.ts
var host_scripts_history = __webpack_require__(6239);
// EXTERNAL MODULE: ./src/host-scripts/prepare.ts
var prepare = __webpack_require__(6916);
// EXTERNAL MODULE: ./src/host-scripts/prune.ts
var prune = __webpack_require__(5379);
// EXTERNAL MODULE: ./src/host-scripts/receive.ts
var receive = __webpack_require__(6482);
// EXTERNAL MODULE: ./src/host-scripts/release.ts
var release = __webpack_require__(1086);
// EXTERNAL MODULE: ./src/host-scripts/rollback.ts
var rollback = __webpack_require__(7879);
// EXTERNAL MODULE: ./src/host-scripts/start-first.ts
var start_first = __webpack_require__(7140);
;// CONCATENATED MODULE: ./src/host-scripts/programs.ts
/**
 * The remote commands of a deploy, one program each: which host scripts run, in which order,
 * and what each hands the next (the container IDs). A program stops at the first script that
 * must succeed and fails, with that script's exit code.
 */











/** Waits for the marker, then checks the host has what the deploy needs (`detect`). */
function waitAndDetect(wait, detect = (0,prepare/* detectDocker */.cW)()) {
    return [
        ...(wait.marker ? [(0,script/* step */.PM)((0,prepare/* waitForMarker */.bj)(wait.marker, wait.seconds), { orExit: true })] : []),
        (0,script/* step */.PM)(detect, { orExit: true }),
    ];
}
/**
 * Waits for the marker, checks the host (`detect`: by default, finds compose), creates app-dir,
 * and holds the lock (see `holdLock`).
 */
function lockProgram(layout, wait, lockSeconds, holder, detect = (0,prepare/* detectDocker */.cW)()) {
    return (0,script/* program */.DM)([
        ...waitAndDetect(wait, detect),
        (0,script/* step */.PM)((0,prepare/* prepareAppDir */.Ai)(layout), { orExit: true }),
        (0,script/* step */.PM)((0,prepare/* removeStaleStaging */.zC)(layout)),
        (0,script/* step */.PM)((0,prepare/* holdLock */.xH)(layout, lockSeconds, holder)),
    ]);
}
/**
 * Unpacks the release from standard input into this run's staging folder (see
 * `receiveRelease`), keeps the running release for a rollback, then logs in and pulls (see
 * `pullImages`). Runs under the lock.
 */
function pullProgram(target, entries, login) {
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,receive/* receiveRelease */.d)(target.layout, entries), { orExit: true }),
        (0,script/* step */.PM)((0,release/* keepRelease */.LF)(target.layout, target.files, target.project), { orExit: true }),
        (0,script/* step */.PM)((0,release/* pullImages */.Ks)(target.layout, prepare/* COMPOSE */.dX, target.project, login)),
    ], [(0,prepare/* composeHelper */.jY)()]);
}
/**
 * Puts the staged files in place, starts the containers (`up -d`, or by the rollout plan: see
 * `startByPlan`), waits for health, reports the images, prunes, keeps the release as the one
 * to roll back to next time, and records the deploy.
 */
function startProgram(target, options, rollout = null) {
    const { layout } = target;
    const start = rollout
        ? (0,start_first/* startByPlan */.$1)(layout, prepare/* COMPOSE */.dX, target.project, rollout.plan)
        : (0,release/* startContainers */.fQ)(layout, prepare/* COMPOSE */.dX, target.project);
    // One health gate for the program: the start-first rollouts' and the final check's (with
    // health-timeout 0 there is no final check, and the rollouts' gate has command-timeout).
    const gate = checkHealth(options.healthSeconds || (rollout?.healthSeconds ?? 0));
    const helpers = rollout ? (0,start_first/* startByPlanHelpers */.Cz)(prepare/* COMPOSE */.dX, target.project, gate) : [];
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,release/* installRelease */.Rs)(layout, target.files), { orExit: true }),
        (0,script/* step */.PM)(start, { orExit: true }),
        (0,script/* step */.PM)((0,release/* listContainers */.ts)(target.project), { intoIds: true, orExit: true }),
        options.healthSeconds > 0 && (0,script/* step */.PM)(gate, { withIds: true, orExit: true }),
        (0,script/* step */.PM)((0,release/* reportImages */.Fs)(), { withIds: true }),
        options.prune && (0,script/* step */.PM)((0,prune/* pruneImages */.B)(layout), { withIds: true }),
        (0,script/* step */.PM)((0,release/* commitRelease */.PF)(layout), { orExit: true }),
        (0,script/* step */.PM)((0,host_scripts_history/* recordHistory */.cJ)(layout, options.record)),
    ], [(0,prepare/* composeHelper */.jY)(), ...helpers]);
}
/**
 * Puts the previous release back (files, image tags, containers), removes the failed one's
 * staging folder and records it; then, with `healthSeconds`, waits until its containers pass
 * the health gate (a container `up` did not recreate passes at once), so that "running again"
 * means serving again.
 */
function rollbackProgram(target, record, healthSeconds = 0) {
    const { layout } = target;
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,rollback/* restoreRelease */.E)(layout, target.files), { orExit: true }),
        (0,script/* step */.PM)((0,rollback/* retagPrevious */.X)(layout), { orExit: true }),
        (0,script/* step */.PM)((0,release/* startContainers */.fQ)(layout, prepare/* COMPOSE */.dX, target.project), { orExit: true }),
        (0,script/* step */.PM)(removeFolder(layout.stagingDir)),
        ...reportAndRecord(target, record),
        healthSeconds > 0 && (0,script/* step */.PM)(checkHealth(healthSeconds), { withIds: true, orExit: true }),
    ], [(0,prepare/* composeHelper */.jY)()]);
}
/** Records a failed deploy that was not rolled back, and removes its staging folder. */
function recordFailureProgram(target, record) {
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)(removeFolder(target.layout.stagingDir)),
        ...reportAndRecord(target, record),
    ]);
}
function reportAndRecord(target, record) {
    return [
        (0,script/* step */.PM)((0,release/* listContainers */.ts)(target.project), { intoIds: true }),
        (0,script/* step */.PM)((0,release/* reportImages */.Fs)(), { withIds: true }),
        (0,script/* step */.PM)((0,host_scripts_history/* recordHistory */.cJ)(target.layout, record)),
    ];
}
/** Removes a folder of this run's (its staging folder, a dry run's temporary folder). */
function removeFolder(dir) {
    return (0,script/* hostScript */.Q1)('monarch_remove_folder', (0,command.sh) `rm -rf -- ${dir}`);
}
/** Removes `dir` alone. */
function removeFolderProgram(dir) {
    return (0,script/* program */.DM)([(0,script/* step */.PM)(removeFolder(dir))]);
}
/** The dry run's one command: marker, compose, then its checks (see `dryRunChecks`). */
function dryRunProgram(layout, wait, project, server) {
    return (0,script/* program */.DM)([
        ...waitAndDetect(wait),
        (0,script/* step */.PM)((0,dry_run/* dryRunChecks */.aF)(layout, (0,dry_run/* composeConfigCheck */.L_)(project), server)),
    ]);
}


/***/ }),

/***/ 5379:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ pruneImages),
/* harmony export */   g: () => (/* binding */ PRUNE_REPLIES)
/* harmony export */ });
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2951);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4175);
/* harmony import */ var _safe_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5180);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4324);
/** Removing a project's old images without touching what runs or what a rollback needs. */




/** The reply of an image prune (`pruneImages`, and the swarm's): `removed=<count>`. */
const PRUNE_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .replyKeys */ .x1)({ removed: 'removed' });
/**
 * Removes this project's old images: those of the repositories its services use (the running
 * containers, given as arguments, and those that ran before this deploy) that no container on
 * the host uses, except those that ran before this deploy (a rollback needs them). Other
 * projects' images are left alone. Three docker calls, plus one `rmi` per image removed.
 * Prints `removed=<count>`. Not `docker image prune -a`: it also untags images the
 * running containers use.
 */
function pruneImages(layout) {
    const previous = layout.rollbackImages;
    const readPrevious = (field) => (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_2__.sh) `if ${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .isRegularFile */ .Ze)(previous)}; then cut -d' ' -f${field} ${previous}; fi`;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_prune_images', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_2__.sh) `all=$(docker ps -aq --no-trunc) || exit 1
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
echo "${PRUNE_REPLIES.removed}=$removed"`);
}


/***/ }),

/***/ 6482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ receiveRelease)
/* harmony export */ });
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2951);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4201);
/* harmony import */ var _safe_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5180);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4175);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4324);
/** Receiving a release: the files of a deploy arrive as a tar archive on standard input. */





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
function receiveRelease(layout, entries) {
    const byMode = new Map();
    for (const entry of entries)
        byMode.set(entry.mode, [...(byMode.get(entry.mode) ?? []), entry.name]);
    const modes = [...byMode].map(([mode, names]) => (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `for f in ${names}; do set_mode ${(mode & 0o7777).toString(8)} "$f"; done`);
    const staging = (0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .inAppDir */ .ak)(layout, layout.stagingDir);
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_4__/* .hostScript */ .Q1)('monarch_receive_release', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `${_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .UNSAFE */ .Pk}
${_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .INSTALL_FILE */ .Zf}
umask 077
cd ${layout.appDir} || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.uploadFailed}
mkdir -- ${layout.stagingDir} || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.uploadFailed}
walk_into ${staging} || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.uploadFailed}
[ -O . ] && [ -z "$(ls -A)" ] || unsafe ${`${layout.stagingDir} was replaced as it was made`}
tar -x -o -f - || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.uploadFailed}
${(0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__/* .lines */ .Mn)(modes)}`);
}


/***/ }),

/***/ 1086:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fs: () => (/* binding */ reportImages),
/* harmony export */   J$: () => (/* binding */ KEEP_REPLIES),
/* harmony export */   Ks: () => (/* binding */ pullImages),
/* harmony export */   LF: () => (/* binding */ keepRelease),
/* harmony export */   P4: () => (/* binding */ useRunConfig),
/* harmony export */   PF: () => (/* binding */ commitRelease),
/* harmony export */   Rs: () => (/* binding */ installRelease),
/* harmony export */   Xf: () => (/* binding */ IMAGE_REPLIES),
/* harmony export */   bO: () => (/* binding */ dropRunConfig),
/* harmony export */   fQ: () => (/* binding */ startContainers),
/* harmony export */   nv: () => (/* binding */ REFUSED_LOGIN),
/* harmony export */   ts: () => (/* binding */ listContainers)
/* harmony export */ });
/* unused harmony export projectContainers */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2951);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4201);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4175);
/* harmony import */ var _prepare_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6916);
/* harmony import */ var _safe_files_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(5180);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4324);
/**
 * Moving a release onto the host: keep the running one for a rollback, log in and pull with the
 * staged files, put the staged files in place, start the containers, and report what runs.
 */






/** The reply of `keepRelease` (and of the swarm's `snapshotStack`): `previous=yes`. */
const KEEP_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .replyKeys */ .x1)({ previous: 'previous' });
/**
 * Makes sure the running release can be rolled back to: prints `previous=yes` when there is
 * one, and records the image each of its containers runs (`ref image-id` lines in
 * `rollbackImages`). Without a `project` (`mode: swarm`), it keeps the files alone and says
 * nothing: the stack's services say whether there is a previous release (`snapshotStack`). The action's own copy of that release (`releaseDir`) is what a rollback
 * restores; when there is none yet (app-dir was deployed by an older version, or by hand), it
 * is made from app-dir's `files`, refusing (`unsafePath`) any that is a link or not a file.
 */
function keepRelease(layout, files, project) {
    const { appDir, releaseDir, stateDir } = layout;
    const previous = project === null ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `:` : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `echo ${KEEP_REPLIES.previous}=yes`;
    const images = project === null
        ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `:`
        : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `ids=$(${projectContainers(project, false)}) || ids=
${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_3__/* .replaceFile */ .fR)(layout.rollbackImages, (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `[ -z "$ids" ] || docker inspect -f '{{.Config.Image}} {{.Image}}' $ids`)} || exit 1`;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_keep_release', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${_safe_files_js__WEBPACK_IMPORTED_MODULE_3__/* .UNSAFE */ .Pk}
${_safe_files_js__WEBPACK_IMPORTED_MODULE_3__/* .INSTALL_FILE */ .Zf}
set -u
umask 077
cd ${appDir} || exit 1
if [ -d ${releaseDir} ] && [ ! -L ${releaseDir} ]; then
  ${previous}
elif [ -e docker-compose.yml ] || [ -L docker-compose.yml ]; then
  copy=$(mktemp -d ${`${(0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .inAppDir */ .ak)(layout, stateDir)}/.monarch-tmp.XXXXXX`}) || exit 1
  for f in ${files}; do
    path=.
    for part in $(printf '%s' "$f" | tr '/' ' '); do
      path="$path/$part"
      [ -L "$path" ] && { rm -rf -- "$copy"; unsafe "\${path#./} in app-dir is a symbolic link: the running release cannot be kept for a rollback"; }
    done
    [ -e "./$f" ] || continue
    [ -f "./$f" ] || { rm -rf -- "$copy"; unsafe "$f in app-dir is not a file"; }
    (copy_file "$f" "$copy/$f") || { status=$?; rm -rf -- "$copy"; exit $status; }
  done
  mv -T -- "$copy" ${releaseDir} || exit 1
  ${previous}
fi
${images}`);
}
/**
 * Removes this run's docker config from the staging folder, keeping a copy in the state folder
 * first when `login.keep` (`registry-logout: false`).
 */
function dropRunConfig(layout, login) {
    const config = `${layout.stagingDir}/${_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_CONFIG_DIR */ .KO}`;
    const keep = login?.keep
        ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `rm -rf -- ${layout.dockerConfigDir} && cp -Rp -- ${config} ${layout.dockerConfigDir}
`
        : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) ``;
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${keep}rm -rf -- ${config}`;
}
/** What a registry answers to a login it refuses, as the docker engine reports it: `case` patterns. */
const REFUSED_LOGIN = new _shell_command_js__WEBPACK_IMPORTED_MODULE_4__/* .ShellCommand */ .oI([
    '*unauthorized*',
    '*"authentication required"*',
    '*"no basic auth credentials"*',
    '*"401 Unauthorized"*',
].join('|'));
/**
 * With `login`, points docker at this run's own docker config in the staging folder (its
 * login, mode 0600: no credential on a command line), the user's CLI plugins reachable
 * through a link.
 */
function useRunConfig(layout, login) {
    const config = `${layout.stagingDir}/${_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_CONFIG_DIR */ .KO}`;
    return login
        ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `plugins="\${DOCKER_CONFIG:-\${HOME:-/root}/.docker}/cli-plugins"
export DOCKER_CONFIG=${config}
if [ -d "$plugins" ] && [ ! -e ${config}/cli-plugins ]; then ln -s "$plugins" ${config}/cli-plugins; fi`
        : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `:`;
}
/**
 * Pulls the images of the staged release. With `login`, through this run's own docker config
 * (written beforehand into the staging folder, mode 0600: no credential on a command line);
 * the pull is the login's check (one exchange with the registry, not two): a refusal exits
 * `loginFailed` with its errors. The user's CLI plugins stay reachable through a link. The
 * run's docker config is removed afterwards.
 */
function pullImages(layout, compose, project, login) {
    const refused = login ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${REFUSED_LOGIN}) status=${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.loginFailed} ;;` : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) ``;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_pull_images', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `umask 077
${useRunConfig(layout, login !== null)}
cd ${layout.stagingDir} || exit 1
status=0
if ! output=$(${(0,_prepare_js__WEBPACK_IMPORTED_MODULE_2__/* .composeCall */ .hd)(project, compose)} pull --quiet 2>&1 </dev/null); then
  printf '%s\n' "$output" | tail -n 20 >&2
  case $output in
    ${refused}
    *) status=1 ;;
  esac
fi
${dropRunConfig(layout, login)}
exit $status`);
}
/**
 * Puts the staged `files` in place in app-dir, each copied to a fresh name and renamed over
 * its own (see safe-files.ts). The staging folder stays: it becomes the action's copy of the
 * release once the release is healthy (`commitRelease`).
 */
function installRelease(layout, files) {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_install_release', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${_safe_files_js__WEBPACK_IMPORTED_MODULE_3__/* .UNSAFE */ .Pk}
${_safe_files_js__WEBPACK_IMPORTED_MODULE_3__/* .INSTALL_FILE */ .Zf}
cd ${layout.appDir} || exit 1
for f in ${files}; do check_target "$f"; done
for f in ${files}; do install_file ${(0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .inAppDir */ .ak)(layout, layout.stagingDir)} "$f"; done`);
}
/** Keeps the staged release as the action's copy of the running one (for the next rollback). */
function commitRelease(layout) {
    const old = `${layout.stateDir}/release.old`;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_commit_release', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `rm -rf -- ${old}
if [ -e ${layout.releaseDir} ] || [ -L ${layout.releaseDir} ]; then mv -T -- ${layout.releaseDir} ${old} || exit 1; fi
mv -T -- ${layout.stagingDir} ${layout.releaseDir} || exit 1
rm -rf -- ${old}`);
}
/**
 * `compose up -d --remove-orphans` of the release's file in app-dir, as the project `project`
 * (see `composeCall`); its output only when it fails (exit `upFailed`).
 */
function startContainers(layout, compose, project) {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_start_containers', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `cd ${layout.appDir} || exit 1
if ! up_output=$(${(0,_prepare_js__WEBPACK_IMPORTED_MODULE_2__/* .composeCall */ .hd)(project, compose)} up -d --remove-orphans 2>&1 </dev/null); then
  printf '%s\n' "$up_output" >&2
  exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.upFailed}
fi`);
}
/**
 * The project's service containers, by compose's own labels (one-off `run` containers left
 * out): docker answers from its state, not compose from app-dir's files, which a container
 * with a mount of app-dir may have replaced, and it is one fast call where compose is slow.
 */
function projectContainers(project, all) {
    const [ofProject, notOneOff] = (0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .projectFilters */ .Vg)(project);
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `docker ps ${all ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `-a` : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) ``} -q --no-trunc --filter ${ofProject} --filter ${notOneOff}`;
}
/**
 * Prints the IDs of the project's service containers, stopped ones included; the scripts after
 * it get them as arguments.
 */
function listContainers(project) {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_list_containers', projectContainers(project, true));
}
/*
 * docker inspect templates name fields as the CLI's Go types do (`.ID`, `.Name`), never as the
 * JSON does (`.Id`): a template that fails on the types makes newer CLIs retry it on the raw
 * JSON, where a missing key such as `.State.Health` is an error rather than empty.
 */
/** The replies of `reportImages`. */
const IMAGE_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .replyKeys */ .x1)({ container: 'container', digest: 'digest' });
/**
 * For the containers given as arguments, prints `container=<service> <ref> <image-id>`, and
 * `digest=<image-id> <repo@sha256:...>...` for their images: two docker calls in all.
 */
function reportImages() {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_5__/* .hostScript */ .Q1)('monarch_report_images', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `[ $# -gt 0 ] || exit 0
containers=$(docker inspect -f ${`${IMAGE_REPLIES.container}={{index .Config.Labels "com.docker.compose.service"}} {{.Config.Image}} {{.Image}}`} "$@") || exit 1
printf '%s\n' "$containers"
docker image inspect -f ${`${IMAGE_REPLIES.digest}={{.ID}} {{range .RepoDigests}}{{.}} {{end}}`} $(printf '%s\n' "$containers" | awk '{print $NF}' | sort -u)`);
}


/***/ }),

/***/ 7879:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ restoreRelease),
/* harmony export */   X: () => (/* binding */ retagPrevious)
/* harmony export */ });
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2951);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4201);
/* harmony import */ var _safe_files_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5180);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4324);
/** Putting the previous release back: its files, then its images under the names it uses. */




/**
 * Puts the previous release's files back into app-dir from the action's own copy of it (never
 * from app-dir itself), each copied and renamed into place; a file of the failed release
 * (`files`) that the previous one did not have is removed (a link there is removed as a link,
 * from its folder entered without following a link: see safe-files.ts).
 */
function restoreRelease(layout, files) {
    const release = layout.releaseDir;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_2__/* .hostScript */ .Q1)('monarch_restore_release', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `${_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .UNSAFE */ .Pk}
${_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .INSTALL_FILE */ .Zf}
[ -d ${release} ] && [ ! -L ${release} ] || unsafe ${`${release} is missing: there is no release to roll back to`}
cd ${layout.appDir} || exit 1
restored=$(cd ${release} && find . -type f ! -name '.monarch-tmp.*' | sed 's|^\./||') || exit 1
for f in $restored ${files}; do check_target "$f"; done
for f in $restored; do install_file ${(0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .inAppDir */ .ak)(layout, release)} "$f"; done
for f in ${files}; do
  [ -e ${release}/"$f" ] || [ -L ${release}/"$f" ] || remove_file "$f"
done`);
}
/**
 * Tags the image IDs that ran before this deploy again under the names the previous compose
 * file uses (a pull may have moved a tag such as `latest`); a digest reference cannot move and
 * is left as it is.
 */
function retagPrevious(layout) {
    const images = layout.rollbackImages;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_2__/* .hostScript */ .Q1)('monarch_retag_previous', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_1__/* .isRegularFile */ .Ze)(images)} || exit 0
while read -r ref id; do
  case $ref in *@*|'') continue ;; esac
  docker tag -- "$id" "$ref" || exit 1
done <${images}`);
}


/***/ }),

/***/ 7140:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $1: () => (/* binding */ startByPlan),
/* harmony export */   Cz: () => (/* binding */ startByPlanHelpers),
/* harmony export */   d2: () => (/* binding */ ROLLOUT_REPLIES)
/* harmony export */ });
/* unused harmony export rollStartFirst */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2951);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4201);
/* harmony import */ var _prepare_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6916);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4175);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4324);
/**
 * `mode: compose` with start-first services (see compose/rollout-plan.ts): the other services
 * are started by `up -d` as before, then each start-first service is rolled the docker-rollout
 * way: its new containers start beside the old ones (`up --no-recreate --scale`), the old ones
 * stop (SIGTERM, their grace period) only once the new ones pass the health gate, and a new
 * container that never does is removed while the old ones keep serving.
 */





/**
 * The replies of a rollout: `rolled=<service> recreate` for each service `up -d` started,
 * `rolled=<service> start-first <overlap seconds>` for each start-first one (the seconds from
 * its new containers' start to the old ones' removal; `first` when it had none running), and
 * `no_healthcheck=<service>` for a start-first service whose new containers have none.
 */
const ROLLOUT_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .replyKeys */ .x1)({ rolled: 'rolled', noHealthcheck: 'no_healthcheck' });
/** The label filters of one service's containers, `$svc` (one-off `run` containers left out). */
function serviceFilters(project) {
    const [ofProject, notOneOff] = (0,_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .projectFilters */ .Vg)(project);
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `--filter ${ofProject} --filter "label=com.docker.compose.service=$svc" --filter ${notOneOff}`;
}
/**
 * `monarch_roll_start_first SERVICE REPLICAS GRACE`: rolls one start-first service, in app-dir.
 * With no container of it running, starts it (`first`). Otherwise: removes its stopped
 * containers (they serve nothing, and `--no-recreate` would start them again), scales it to
 * its running containers plus REPLICAS without recreating any, waits for the new ones by the
 * health gate (`monarch_check_health`, the program's one gate), then stops the old ones with
 * `docker stop -t GRACE` (their stop signal first) and removes them. A new container that
 * fails the gate is removed, the old ones untouched, and the gate's exit code returned.
 */
function rollStartFirst(compose, project) {
    const filters = serviceFilters(project);
    const up = (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `${(0,_prepare_js__WEBPACK_IMPORTED_MODULE_1__/* .composeCall */ .hd)(project, compose)} up -d --no-deps`;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_4__/* .hostScript */ .Q1)('monarch_roll_start_first', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `svc=$1 want=$2 grace=$3
all=$(docker ps -a -q --no-trunc ${filters}) || exit 1
old=$(docker ps -q --no-trunc ${filters}) || exit 1
stale=
for id in $all; do case " $(echo $old) " in *" $id "*) ;; *) stale="$stale $id" ;; esac; done
[ -z "$stale" ] || docker rm -f $stale >/dev/null || exit 1
if [ -z "$old" ]; then
  if ! up_output=$(${up} --scale "$svc=$want" "$svc" 2>&1 </dev/null); then
    printf '%s\n' "$up_output" >&2
    exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.upFailed}
  fi
  echo "${ROLLOUT_REPLIES.rolled}=$svc start-first first"
  exit 0
fi
count=$(echo $old | wc -w)
began=$(date +%s)
up_output=$(${up} --no-recreate --scale "$svc=$((count + want))" "$svc" 2>&1 </dev/null)
up_status=$?
new=
for id in $(docker ps -a -q --no-trunc ${filters}); do case " $(echo $old) " in *" $id "*) ;; *) new="$new $id" ;; esac; done
if [ "$up_status" != 0 ] || [ -z "$new" ]; then
  printf '%s\n' "$up_output" >&2
  echo "start-first service $svc: compose started no new container beside the old ones, which keep serving" >&2
  [ -z "$new" ] || docker rm -f $new >/dev/null 2>&1
  exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.upFailed}
fi
checks=$(docker inspect -f '{{if .Config.Healthcheck}}{{range .Config.Healthcheck.Test}}{{.}} {{end}}{{end}}' $new) || checks=
case $checks in ''|NONE*) echo "${ROLLOUT_REPLIES.noHealthcheck}=$svc" ;; esac
monarch_check_health $new >/dev/null
health=$?
if [ "$health" != 0 ]; then
  docker rm -f $new >/dev/null 2>&1
  if [ "$health" = ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.healthTimeout} ]; then
    echo "start-first service $svc: its new containers were not healthy in time" >&2
  fi
  echo "start-first service $svc: its new containers were removed; the old ones kept serving" >&2
  exit "$health"
fi
docker stop -t "$grace" $old >/dev/null || exit 1
docker rm $old >/dev/null || exit 1
echo "${ROLLOUT_REPLIES.rolled}=$svc start-first $(($(date +%s) - began))"`);
}
/**
 * Starts the release by `plan`, in app-dir: `up -d --no-deps --remove-orphans` for the
 * services it recreates (one `up`, as without a plan), then each start-first service in
 * dependency order (`rollStartFirst`). Exits `upFailed` with compose's output when `up` fails,
 * or the health gate's code when a start-first service's new containers fail it.
 */
function startByPlan(layout, compose, project, plan) {
    const recreate = plan.recreate.length
        ? (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `if ! up_output=$(${(0,_prepare_js__WEBPACK_IMPORTED_MODULE_1__/* .composeCall */ .hd)(project, compose)} up -d --no-deps --remove-orphans ${plan.recreate} 2>&1 </dev/null); then
  printf '%s\n' "$up_output" >&2
  exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.upFailed}
fi
for svc in ${plan.recreate}; do echo "${ROLLOUT_REPLIES.rolled}=$svc recreate"; done`
        : (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `:`;
    const rolls = plan.startFirst.map((service) => (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `monarch_roll_start_first ${service.name} ${service.replicas} ${service.stopGraceSeconds} || exit`);
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_4__/* .hostScript */ .Q1)('monarch_start_by_plan', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `cd ${layout.appDir} || exit 1
${recreate}
${(0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__/* .lines */ .Mn)(rolls)}`);
}
/**
 * The scripts `startByPlan` calls, for the program's definitions: `gate`, the program's one
 * health gate (`checkHealth`), which the final check of the start shares, and the rollout.
 */
function startByPlanHelpers(compose, project, gate) {
    return [gate, rollStartFirst(compose, project)];
}


/***/ }),

/***/ 5990:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Eg: () => (/* binding */ NoReportError),
/* harmony export */   N9: () => (/* binding */ ConnectionLostError),
/* harmony export */   aC: () => (/* binding */ RemoteTimeoutError),
/* harmony export */   at: () => (/* binding */ RemoteCommandError),
/* harmony export */   qc: () => (/* binding */ HostStoppedAnsweringError)
/* harmony export */ });
/* harmony import */ var _remote_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8217);
/**
 * The narrow interface the deploy steps use to act on a droplet. `SshHost` implements it over
 * one ssh2 connection; the unit tests use an in-memory fake.
 */

/** A remote command that ran and failed. */
class RemoteCommandError extends Error {
    step;
    code;
    stderr;
    constructor(step, code, stderr, message) {
        super(message ?? `${step} failed (exit code ${code})${tailSuffix(stderr)}`);
        this.step = step;
        this.code = code;
        this.stderr = stderr;
        this.name = 'RemoteCommandError';
    }
}
/** The SSH connection went away (dropped, reset, or closed by the server). */
class ConnectionLostError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ConnectionLostError';
    }
}
/** The host stopped answering: its SSH server no longer answered keepalives. */
class HostStoppedAnsweringError extends ConnectionLostError {
    constructor(host) {
        super(`${host} stopped answering (its SSH server did not answer keepalives)`);
        this.name = 'HostStoppedAnsweringError';
    }
}
/**
 * The host never reported the end of a command within the runner's own limit, although the
 * connection still answers: the command, or the host's `timeout` over it, is stuck.
 */
class NoReportError extends Error {
    step;
    deadlineMs;
    constructor(host, step, deadlineMs) {
        super(`${host} did not report the end of '${step}' within ${Math.round(deadlineMs / 1000)} s ` +
            `(the step's own limit on the host, and a margin): its SSH server answers, its command does not`);
        this.step = step;
        this.deadlineMs = deadlineMs;
        this.name = 'NoReportError';
    }
}
/** A remote command that did not finish in time. */
class RemoteTimeoutError extends Error {
    step;
    timeoutMs;
    constructor(step, timeoutMs) {
        super(`${step} timed out after ${Math.round(timeoutMs / 1000)} s`);
        this.step = step;
        this.timeoutMs = timeoutMs;
        this.name = 'RemoteTimeoutError';
    }
}
function tailSuffix(stderr) {
    const tail = (0,_remote_text_js__WEBPACK_IMPORTED_MODULE_0__/* .lastLines */ .w$)(stderr);
    return tail ? `: ${tail}` : '';
}


/***/ }),

/***/ 3347:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ jumpTunnel)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4116);
/* harmony import */ var _ssh_connect_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2044);
/**
 * One connection to a jump host (bastion), shared by the tunnels of every droplet behind it,
 * opened on first use; its host key is verified like a droplet's.
 */


/** A tunnel through `jump`, retrying its connection for up to `timeoutMs`. */
function jumpTunnel(jump, timeoutMs) {
    let bastion;
    // Plain lines, not a log group: this runs inside the first droplet's "Connecting" group.
    const connect = async () => {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`connecting to the jump host ${jump.host}:${jump.port} as ${jump.username}`);
        const connected = await (0,_ssh_connect_js__WEBPACK_IMPORTED_MODULE_1__/* .connectWithRetry */ .Z)(jump, {
            deadline: Date.now() + timeoutMs,
            baseDelayMs: 1_000,
            maxDelayMs: 10_000,
        });
        if (connected.insecure) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`jump host ${jump.host}: host key ${connected.fingerprint} accepted WITHOUT verification`);
        }
        else
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`jump host key verified: ${connected.fingerprint}`);
        return connected;
    };
    return {
        async open(host, port) {
            const attempt = (bastion ??= connect());
            // A failed attempt is forgotten, so the droplet's own retries try the jump host again.
            attempt.catch(() => {
                if (bastion === attempt)
                    bastion = undefined;
            });
            return (await attempt).forward(host, port);
        },
        close() {
            void bastion?.then((connected) => connected.close(), () => { });
        },
    };
}


/***/ }),

/***/ 6128:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   NA: () => (/* binding */ SshFatalError),
/* harmony export */   jE: () => (/* binding */ retryUntilDeadline),
/* harmony export */   zN: () => (/* binding */ SshConnectError)
/* harmony export */ });
/* harmony import */ var _remote_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8217);
/** Trying again while a droplet is still booting: exponential backoff up to a deadline. */

/** A failure that retrying cannot fix (host key, authentication). */
class SshFatalError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SshFatalError';
    }
}
/** Where connection attempts stop for good. */
class SshConnectError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SshConnectError';
    }
}
const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/**
 * Calls `attempt` until it succeeds, an `SshFatalError` is thrown, or the next try would start
 * after the deadline; the delay doubles from `baseDelayMs` up to `maxDelayMs`.
 */
async function retryUntilDeadline(attempt, describe, retry, onRetry = () => { }) {
    const now = retry.now ?? Date.now;
    const sleep = retry.sleep ?? defaultSleep;
    const started = now();
    for (let count = 1;; count++) {
        try {
            return await attempt();
        }
        catch (error) {
            if (error instanceof SshFatalError)
                throw error;
            const lastError = (0,_remote_text_js__WEBPACK_IMPORTED_MODULE_0__/* .untrustedError */ .$d)(error);
            const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (count - 1));
            if (now() + delay >= retry.deadline) {
                const seconds = Math.round((now() - started) / 1000);
                throw new SshConnectError(`could not connect to ${describe} over SSH: ${count} attempt(s) in ${seconds} s ` +
                    `(until 'setup-timeout'), the last failed with: ${lastError.message}`);
            }
            onRetry(count, lastError, delay);
            await sleep(delay);
        }
    }
}


/***/ }),

/***/ 2044:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Z: () => (/* binding */ connectWithRetry)
});

// UNUSED EXPORTS: connectOnce

// EXTERNAL MODULE: ./node_modules/ssh2/lib/index.js
var lib = __webpack_require__(5472);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./src/remote-text.ts
var remote_text = __webpack_require__(8217);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/remote/host-keys.ts
/**
 * Host identity: SHA256 fingerprints as `ssh-keygen -lf` prints them, and known_hosts matching
 * (plain, `[host]:port`, wildcard and hashed `|1|salt|hash` entries). Checked during the SSH
 * handshake, before any credential is sent. The pins themselves are read with the inputs
 * (src/inputs/host-key-pins.ts).
 */

/** `SHA256:<base64 without padding>` of a raw public key blob. */
function fingerprintOf(keyBlob) {
    return 'SHA256:' + (0,external_node_crypto_.createHash)('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}
/** The pins that count for `host`: its own, or, when it has none, those for every host. */
function pinsFor(policy, host) {
    const own = policy.fingerprints.filter((pin) => pin.host === host);
    const pins = own.length > 0 ? own : policy.fingerprints.filter((pin) => pin.host === undefined);
    return pins.map((pin) => pin.fingerprint);
}
/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
function knownHostsName(host, port) {
    return port === 22 ? host : `[${host}]:${port}`;
}
function wildcardMatch(pattern, name) {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
    return new RegExp(`^${regex}$`, 'i').test(name);
}
function hashedMatch(pattern, name) {
    const [, magic, salt, hash] = pattern.split('|');
    if (magic !== '1' || !salt || !hash)
        return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = (0,external_node_crypto_.createHmac)('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return expected.length === actual.length && (0,external_node_crypto_.timingSafeEqual)(expected, actual);
}
/** True when a known_hosts host field (comma-separated patterns, `!` negation) names the host. */
function patternsMatch(patterns, host, port) {
    const name = knownHostsName(host, port);
    if (patterns.startsWith('|'))
        return hashedMatch(patterns, name);
    let matched = false;
    for (const pattern of patterns.split(',')) {
        const negated = pattern.startsWith('!');
        const body = negated ? pattern.slice(1) : pattern;
        if (wildcardMatch(body, name)) {
            if (negated)
                return false;
            matched = true;
        }
    }
    return matched;
}
/**
 * Checks the key a server presented against the policy. `insecureIgnore` accepts a key only
 * when the policy knows nothing of that host: never one that contradicts its pins or entries.
 */
function checkHostKey(policy, host, port, keyBlob) {
    const presented = fingerprintOf(keyBlob);
    const forHost = policy.knownHosts.filter((entry) => patternsMatch(entry.patterns, host, port));
    if (forHost.some((entry) => entry.revoked && entry.keyBlob.equals(keyBlob))) {
        return {
            ok: false,
            reason: `the host key ${presented} of ${host} is marked @revoked in known-hosts`,
        };
    }
    const pins = pinsFor(policy, host);
    if (pins.includes(presented))
        return { ok: true, insecure: false };
    if (forHost.some((entry) => !entry.revoked && entry.keyBlob.equals(keyBlob))) {
        return { ok: true, insecure: false };
    }
    const expected = [
        ...pins,
        ...forHost.filter((entry) => !entry.revoked).map((entry) => fingerprintOf(entry.keyBlob)),
    ];
    if (expected.length > 0) {
        return {
            ok: false,
            reason: `host key mismatch for ${host}: expected ${expected.join(' or ')}, the server presented ${presented}`,
        };
    }
    if (policy.insecureIgnore)
        return { ok: true, insecure: true };
    if (policy.fingerprints.length === 0 && policy.knownHosts.length === 0) {
        return {
            ok: false,
            reason: `no host key to check ${host} against: set 'host-fingerprint' (or 'known-hosts'). ` +
                `The server presented ${presented}; pin it only after checking it on the droplet ` +
                `(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).`,
        };
    }
    const missing = policy.knownHosts.length > 0
        ? `'known-hosts' has no entry for ${knownHostsName(host, port)}`
        : `'host-fingerprint' has no pin for ${host} (only for other hosts)`;
    return { ok: false, reason: `${missing}; the server presented ${presented}` };
}
/** Key types to ask the server for, so it presents one the policy knows (OpenSSH does the same). */
function preferredHostKeyAlgorithms(policy, host, port) {
    const types = new Set(policy.knownHosts
        .filter((entry) => !entry.revoked && patternsMatch(entry.patterns, host, port))
        .map((entry) => entry.keyType));
    if (types.size === 0 || pinsFor(policy, host).length > 0)
        return [];
    return [...types].flatMap((type) => type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]);
}

// EXTERNAL MODULE: ./src/remote/retry.ts
var remote_retry = __webpack_require__(6128);
// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: ./src/shell/timed.ts
var timed = __webpack_require__(5701);
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
;// CONCATENATED MODULE: ./src/remote/channel-output.ts
/**
 * What a remote command prints, collected within a bound: a host may print without end (a
 * compromised one, or a container's log), and the runner must neither run out of memory nor
 * spend its time rescanning. Each stream keeps its last `OUTPUT_LIMIT` bytes.
 */

/** Bytes kept of each stream: more than any reply or error message needs. */
const OUTPUT_LIMIT = 64 * 1024;
/**
 * The last `limit` bytes of a stream, as text (a character cut in two is dropped). A ring of
 * bytes, grown by doubling up to `limit`: each chunk costs a copy of its bytes, however many
 * chunks came before it (a host may send its output one byte at a time).
 */
class BoundedBuffer {
    limit;
    ring = Buffer.alloc(0);
    /** Where the oldest byte kept is in `ring`, and how many bytes are kept. */
    start = 0;
    size = 0;
    /** Bytes dropped from the start. */
    dropped = 0;
    constructor(limit = OUTPUT_LIMIT) {
        this.limit = limit;
    }
    push(chunk) {
        const kept = chunk.length > this.limit ? chunk.subarray(chunk.length - this.limit) : chunk;
        this.dropped += chunk.length - kept.length;
        if (kept.length === 0)
            return;
        if (this.size + kept.length > this.ring.length && this.ring.length < this.limit) {
            this.grow(Math.min(this.limit, Math.max(this.size + kept.length, 2 * this.ring.length)));
        }
        const capacity = this.ring.length;
        const end = (this.start + this.size) % capacity;
        const first = Math.min(kept.length, capacity - end);
        kept.copy(this.ring, end, 0, first);
        kept.copy(this.ring, 0, first);
        const over = Math.max(0, this.size + kept.length - capacity);
        this.start = (this.start + over) % capacity;
        this.size += kept.length - over;
        this.dropped += over;
    }
    text() {
        const text = this.bytes().toString('utf8');
        return this.dropped > 0 ? text.replace(/^\uFFFD+/, '') : text;
    }
    /** The bytes kept, oldest first. */
    bytes() {
        const end = this.start + this.size;
        if (end <= this.ring.length)
            return this.ring.subarray(this.start, end);
        return Buffer.concat([
            this.ring.subarray(this.start),
            this.ring.subarray(0, end - this.ring.length),
        ]);
    }
    grow(capacity) {
        const bytes = this.bytes();
        this.ring = Buffer.alloc(capacity);
        bytes.copy(this.ring);
        this.start = 0;
    }
}
/** Collects a channel's stdout and stderr; `done` gets them with the exit code when it closes. */
function collect(channel, done) {
    const out = new BoundedBuffer();
    const err = new BoundedBuffer();
    let code = -1;
    channel.on('data', (chunk) => out.push(chunk));
    channel.stderr.on('data', (chunk) => err.push(chunk));
    channel.on('exit', (exitCode, signal) => {
        code = exitCode ?? (signal ? 128 : -1);
    });
    channel.on('close', () => done(code, out.text(), err.text()));
}
/**
 * Watches a stream for the line `line` without rescanning what it has seen: each chunk is
 * searched with only as much of the text before it as the line needs. Resolves `onFound` with
 * what came before the line (its last `OUTPUT_LIMIT` bytes).
 */
class LineWatcher {
    line;
    decoder = new external_node_string_decoder_.StringDecoder('utf8');
    before = new BoundedBuffer();
    tail = '\n';
    found = false;
    constructor(line) {
        this.line = line;
    }
    /** Feeds a chunk; true once the line has been seen. */
    push(chunk) {
        if (this.found)
            return true;
        const text = this.decoder.write(chunk);
        const window = this.tail + text;
        const at = window.indexOf(`\n${this.line}\n`);
        if (at < 0) {
            this.before.push(Buffer.from(text));
            this.tail = window.slice(-(this.line.length + 1));
            return false;
        }
        this.found = true;
        // `at` counts from the start of the window; the line's own `\n` before it is in the text.
        const inText = at - this.tail.length + 1;
        this.before.push(Buffer.from(text.slice(0, Math.max(0, inText))));
        return true;
    }
    /** What the stream printed before the line (or so far). */
    text() {
        const text = this.before.text();
        if (!this.found)
            return text;
        // A line split over two chunks left its start in the text before it.
        for (let length = this.line.length - 1; length > 0; length--) {
            if (text.endsWith(`\n${this.line.slice(0, length)}`))
                return text.slice(0, -length);
        }
        return text;
    }
}

// EXTERNAL MODULE: ./src/remote/host.ts
var host = __webpack_require__(5990);
;// CONCATENATED MODULE: ./src/remote/ssh-host.ts





/** How long one channel open or forwarded channel may wait for the server. */
const OPERATION_TIMEOUT_MS = 60_000;
/** One live SSH connection to a droplet. */
class SshHost {
    client;
    name;
    fingerprint;
    insecure;
    operationTimeoutMs;
    closed = false;
    lostReason;
    pending = new Set();
    constructor(client, name, 
    /** The server's host key fingerprint, as verified. */
    fingerprint, 
    /** True when the key was accepted only because of `insecure-ignore-host-key`. */
    insecure, 
    /** The limit of each channel open and forwarded channel. */
    operationTimeoutMs = OPERATION_TIMEOUT_MS) {
        this.client = client;
        this.name = name;
        this.fingerprint = fingerprint;
        this.insecure = insecure;
        this.operationTimeoutMs = operationTimeoutMs;
        const lost = (error) => {
            // The first reason stays: a keepalive timeout is followed by the close it causes.
            this.lostReason ??=
                error ?? new host/* ConnectionLostError */.N9(`the SSH connection to ${name} was closed`);
            for (const reject of this.pending)
                reject(this.lostReason);
            this.pending.clear();
        };
        client.on('error', (error) => lost(error.level === 'client-timeout'
            ? new host/* HostStoppedAnsweringError */.qc(name)
            : new host/* ConnectionLostError */.N9(`the SSH connection to ${name} was lost: ${(0,remote_text/* oneLine */.TN)(error.message)}`)));
        client.on('close', () => lost());
    }
    /**
     * Runs `command` under the host's `timeout` (so a hung `docker pull` is killed there, with
     * its children), and gives up here at `runnerDeadlineMs` if the host never reports its end.
     */
    exec(command, options) {
        // With `after`, the command first waits for a `go` line, outside its timeout.
        const wrapped = (0,timed/* timedCommand */.v5)(command, options.timeoutMs, Boolean(options.after));
        const stdin = options.stdin ?? '';
        const input = options.after
            ? options.after.then(() => Buffer.concat([Buffer.from(`${timed/* GO_LINE */.qh}\n`), Buffer.from(stdin)]))
            : Promise.resolve(stdin);
        // Handled here at once: a rejected input (an earlier step failed) must not go unhandled
        // while the channel is still opening.
        input.catch(() => { });
        return this.openChannel(wrapped, options.label).then((channel) => this.track((resolve, reject) => {
            let timer;
            let started = Date.now();
            collect(channel, (code, stdout, stderr) => {
                clearTimeout(timer);
                core/* debug */.Yz(`${this.name}: ${options.label}: exit ${code} after ${Date.now() - started} ms`);
                if (timed/* TIMED_OUT */.VP.includes(code))
                    reject(new host/* RemoteTimeoutError */.aC(options.label, options.timeoutMs));
                else
                    resolve({ code, stdout, stderr });
            });
            input.then((data) => {
                started = Date.now();
                timer = this.deadline(channel, options, reject);
                channel.end(data);
            }, () => channel.end());
        }));
    }
    /**
     * Starts a command that keeps running (to hold a lock) and resolves once it prints the line
     * `readyLine`, or with its result if it ends first. Closing its standard input ends it. The
     * ready line is awaited until `runnerDeadlineMs`, the end until `runnerDeadlineMs(timeoutMs)`.
     */
    async hold(command, options) {
        const channel = await this.openChannel((0,timed/* timedCommand */.v5)(command, options.timeoutMs), options.label);
        let ended = () => { };
        const result = this.track((resolve, reject) => {
            const whole = { ...options, runnerDeadlineMs: (0,timed/* runnerDeadlineMs */.D)(options.timeoutMs) };
            const timer = this.deadline(channel, whole, reject);
            ended = (value) => {
                clearTimeout(timer);
                resolve(value);
            };
        });
        result.catch(() => { });
        return this.track((resolve, reject) => {
            const timer = this.deadline(channel, options, reject);
            const watcher = new LineWatcher(options.readyLine);
            const onData = (chunk) => {
                if (!watcher.push(chunk))
                    return;
                clearTimeout(timer);
                channel.off('data', onData);
                const release = (input) => channel.end(input);
                resolve({ ready: true, held: { stdout: watcher.text(), release, result } });
            };
            channel.on('data', onData);
            collect(channel, (code, stdout, stderr) => {
                clearTimeout(timer);
                ended({ code, stdout, stderr });
                if (!watcher.found)
                    resolve({ ready: false, result: { code, stdout: watcher.text(), stderr } });
            });
        });
    }
    /** The runner's clock on a started command: at its deadline, the channel is closed and `fail` told. */
    deadline(channel, options, fail) {
        const ms = options.runnerDeadlineMs ?? (0,timed/* runnerDeadlineMs */.D)(options.timeoutMs);
        const timer = setTimeout(() => {
            core/* debug */.Yz(`${this.name}: ${options.label}: no report within ${ms} ms; closing its channel`);
            channel.close();
            fail(new host/* NoReportError */.Eg(this.name, options.label, ms));
        }, ms);
        // The connection keeps the run alive while it waits; a lost one must not be kept by this.
        timer.unref();
        return timer;
    }
    /** Opens an exec channel, giving up when the server does not answer in time. */
    openChannel(command, label) {
        const opened = Date.now();
        core/* debug */.Yz(`${this.name}: ${label}: opening a channel for ${command.text.length} characters of shell`);
        return this.track((resolve, reject) => this.client.exec(command.text, (error, channel) => {
            if (error)
                return reject((0,remote_text/* untrustedError */.$d)(error));
            core/* debug */.Yz(`${this.name}: ${label}: channel open after ${Date.now() - opened} ms`);
            resolve(channel);
        }), { label: `${label}: opening a channel`, timeoutMs: this.operationTimeoutMs });
    }
    /** Opens a TCP stream from this host to `host:port` (this host serving as a jump host). */
    forward(host, port) {
        return this.track((resolve, reject) => {
            this.client.forwardOut('127.0.0.1', 0, host, port, (error, stream) => error ? reject((0,remote_text/* untrustedError */.$d)(error)) : resolve(stream));
        }, { label: `forwarding a channel to ${host}:${port}`, timeoutMs: this.operationTimeoutMs });
    }
    close() {
        if (this.closed)
            return;
        this.closed = true;
        this.client.end();
    }
    /**
     * A promise that also fails if the connection is lost while it is pending, and, with a
     * `limit`, when the server does not answer within it (the connection's keepalive alone would
     * let a server that answers keepalives but nothing else hold the step forever).
     */
    track(work, limit) {
        if (this.lostReason)
            return Promise.reject(this.lostReason);
        return new Promise((resolve, reject) => {
            let timer;
            const settle = () => {
                clearTimeout(timer);
                this.pending.delete(fail);
            };
            const fail = (error) => {
                settle();
                reject(error);
            };
            const succeed = (value) => {
                settle();
                resolve(value);
            };
            this.pending.add(fail);
            if (limit)
                timer = setTimeout(() => fail(new host/* RemoteTimeoutError */.aC(limit.label, limit.timeoutMs)), limit.timeoutMs);
            if (typeof work === 'function')
                work(succeed, fail);
            else
                work.then(succeed, fail);
        });
    }
}

;// CONCATENATED MODULE: ./src/remote/ssh-connect.ts





/** The time between keepalives (ms), and how many may go unanswered before the connection is lost. */
const KEEPALIVE = { intervalMs: 5_000, countMax: 3 };
/**
 * Connects, retrying refused, unreachable and timed-out attempts with exponential backoff until
 * `retry.deadline`; a host key mismatch or a refused key fails at once.
 */
function connectWithRetry(target, retry, onRetry = () => { }) {
    const now = retry.now ?? Date.now;
    const describe = `${target.username}@${target.host}:${target.port}`;
    return (0,remote_retry/* retryUntilDeadline */.jE)(() => connectOnce(target, Math.max(5_000, Math.min(30_000, retry.deadline - now()))), describe, retry, onRetry);
}
/** One connection attempt. */
async function connectOnce(target, readyTimeoutMs) {
    const sock = target.tunnel ? await target.tunnel(target.host, target.port) : undefined;
    return new Promise((resolve, reject) => {
        const client = new (lib_default()).Client();
        let presented = '';
        let insecure = false;
        let rejection;
        const algorithms = preferredHostKeyAlgorithms(target.hostKeyPolicy, target.host, target.port);
        const config = {
            ...(sock ? { sock } : { host: target.host, port: target.port }),
            username: target.username,
            privateKey: target.privateKey,
            passphrase: target.passphrase,
            // The key straight away: ssh2 would first try the `none` method, one round trip more.
            authHandler: ['publickey'],
            readyTimeout: readyTimeoutMs,
            keepaliveInterval: KEEPALIVE.intervalMs,
            keepaliveCountMax: KEEPALIVE.countMax,
            hostVerifier: (key) => {
                presented = fingerprintOf(key);
                const verdict = checkHostKey(target.hostKeyPolicy, target.host, target.port, key);
                if (!verdict.ok)
                    rejection = verdict.reason;
                else
                    insecure = verdict.insecure;
                return verdict.ok;
            },
            ...(algorithms.length > 0 ? { algorithms: { serverHostKey: algorithms } } : {}),
        };
        client.once('ready', () => resolve(new SshHost(client, target.host, presented, insecure)));
        client.once('error', (error) => {
            client.end();
            if (rejection)
                reject(new remote_retry/* SshFatalError */.NA(rejection));
            else if (error.level === 'client-authentication') {
                reject(new remote_retry/* SshFatalError */.NA(`the server ${target.host} refused the key for user '${target.username}' ` +
                    `(is its public key in ~${target.username}/.ssh/authorized_keys?)`));
            }
            else
                reject((0,remote_text/* untrustedError */.$d)(error));
        });
        client.connect(config);
    });
}


/***/ })

};
