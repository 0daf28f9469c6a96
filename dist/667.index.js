export const id = 667;
export const ids = [667];
export const modules = {

/***/ 7667:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployAll: () => (/* binding */ deployAll)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/remote/jump-tunnel.ts
var jump_tunnel = __webpack_require__(3347);
// EXTERNAL MODULE: ./src/remote/ssh-connect.ts + 3 modules
var ssh_connect = __webpack_require__(2044);
;// CONCATENATED MODULE: ./src/deploy/connector.ts
/** The real way to reach a droplet: ssh2, with retries, through a jump host when set. */

/** Connects to a host of `inputs`, logging each retry to `log`. */
function sshConnector(inputs, log, tunnel) {
    return (host, retry) => (0,ssh_connect/* connectWithRetry */.Z)({
        host,
        port: inputs.port,
        username: inputs.username,
        privateKey: inputs.privateKey,
        passphrase: inputs.passphrase,
        hostKeyPolicy: inputs.hostKeyPolicy,
        tunnel,
    }, retry, (attempt, error, delayMs) => log.info(`attempt ${attempt} failed (${error.message}); retrying in ${Math.round(delayMs / 1000)} s`));
}

// EXTERNAL MODULE: ./src/remote/retry.ts
var retry = __webpack_require__(6128);
// EXTERNAL MODULE: ./src/host-scripts/dry-run.ts
var dry_run = __webpack_require__(6158);
// EXTERNAL MODULE: ./src/host-scripts/prepare.ts
var prepare = __webpack_require__(6916);
// EXTERNAL MODULE: ./src/host-scripts/protocol.ts
var protocol = __webpack_require__(4175);
// EXTERNAL MODULE: ./src/shell/timed.ts
var timed = __webpack_require__(5701);
// EXTERNAL MODULE: ./src/remote-text.ts
var remote_text = __webpack_require__(8217);
// EXTERNAL MODULE: ./src/remote/host.ts
var remote_host = __webpack_require__(5990);
// EXTERNAL MODULE: ./src/env/parse.ts + 1 modules
var parse = __webpack_require__(6788);
;// CONCATENATED MODULE: ./src/deploy/env-diff.ts
/**
 * Which `.env` keys a deploy adds, changes or removes: what a dry run reports, never values.
 * Both files are read as compose reads them, so a value that is written differently but means
 * the same (the `.env` the action wrote, given back as `env`) is not a change.
 */

/** The keys that differ; a current file that cannot be read counts as holding none. */
function diffEnv(current, next) {
    let before = new Map();
    let unreadable = false;
    try {
        if (current !== null)
            before = new Map((0,parse/* parseEnv */.v)(current).vars.map((v) => [v.key, v.value]));
    }
    catch {
        unreadable = true;
    }
    const after = new Map(next.map((v) => [v.key, v.value]));
    return {
        added: [...after.keys()].filter((key) => !before.has(key)),
        changed: [...after.keys()].filter((key) => before.has(key) && before.get(key) !== after.get(key)),
        removed: [...before.keys()].filter((key) => !after.has(key)),
        unreadable,
    };
}

// EXTERNAL MODULE: ./src/shell/command.ts
var command = __webpack_require__(2951);
// EXTERNAL MODULE: ./src/host-scripts/layout.ts
var host_scripts_layout = __webpack_require__(4201);
// EXTERNAL MODULE: ./src/host-scripts/release.ts
var release = __webpack_require__(1086);
// EXTERNAL MODULE: ./src/host-scripts/safe-files.ts
var safe_files = __webpack_require__(5180);
// EXTERNAL MODULE: ./src/host-scripts/script.ts
var script = __webpack_require__(4324);
;// CONCATENATED MODULE: ./src/host-scripts/swarm-stack.ts
/**
 * `mode: swarm` on the manager: check it is one, remember the stack's services as they run,
 * pull its images, deploy it, remove the services the new file dropped, and put the changed
 * services back when the update does not converge. Service specs may hold `env` values: they
 * are only ever piped or hashed on the host, never put on a command line.
 */







/** The stack's services, `name hash-of-spec` per line, as they were before this deploy. */
function servicesBefore(layout) {
    return `${layout.stateDir}/stack-services`;
}
/** The stack's services by the label `docker stack deploy` gives them. */
function stackServices(stack) {
    return (0,command.sh) `docker service ls --filter ${(0,host_scripts_layout/* stackFilter */.R)(stack)} --format '{{.Name}}'`;
}
/** The replies of `detectSwarm` (with `DETECT_REPLIES.user`). */
const SWARM_REPLIES = (0,protocol/* replyKeys */.x1)({ swarm: 'swarm' });
/**
 * Prints `user=` and `swarm=<state of this node>`; exits
 * `noDocker` without docker, `notManager` unless this node is a manager of an active swarm
 * that can act (`swarm=active true noquorum` when it cannot list the nodes: the managers have
 * lost their quorum, and another manager will not do better, but a failover tries).
 */
function detectSwarm() {
    return (0,script/* hostScript */.Q1)('monarch_detect_swarm', (0,command.sh) `echo "${prepare/* DETECT_REPLIES */.Rs.user}=$(id -un)"
command -v docker >/dev/null 2>&1 || exit ${protocol/* EXIT */.dc.noDocker}
state=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null) || exit ${protocol/* EXIT */.dc.noDocker}
[ "$state" = 'active true' ] || { echo "${SWARM_REPLIES.swarm}=$state"; exit ${protocol/* EXIT */.dc.notManager}; }
docker node ls -q >/dev/null 2>&1 || { echo "${SWARM_REPLIES.swarm}=$state noquorum"; exit ${protocol/* EXIT */.dc.notManager}; }
echo "${SWARM_REPLIES.swarm}=$state"`);
}
/**
 * Records each service of `stack` with a hash of its spec (what a rollback compares), and
 * prints `previous=yes` when the stack has any: a first deploy has nothing to roll back to.
 */
function snapshotStack(layout, stack) {
    return (0,script/* hostScript */.Q1)('monarch_snapshot_stack', (0,command.sh) `umask 077
names=$(${stackServices(stack)}) || exit 1
hashes=$(if [ -n "$names" ]; then ${specHashes((0,command.sh) `$names`)}; fi) || exit 1
${(0,safe_files/* replaceFile */.fR)(servicesBefore(layout), (0,command.sh) `printf '%s\n' "$hashes"`)} || exit 1
[ -z "$names" ] || echo ${release/* KEEP_REPLIES */.J$.previous}=yes`);
}
/**
 * `name hash` of each of `names`' specs (a spec is only ever piped, never an argument); fails
 * when docker does.
 */
function specHashes(names) {
    return (0,command.sh) `specs=$(docker service inspect --format '{{.Spec.Name}} {{json .Spec}}' ${names}) || exit 1
printf '%s\n' "$specs" | while IFS=' ' read -r name spec; do
  sum=$(printf '%s' "$spec" | cksum) && [ -n "$sum" ] || exit 1
  printf '%s %s\n' "$name" "$(printf '%s' "$sum" | tr ' ' '-')"
done`;
}
/**
 * Pulls the stack's images (`STACK_IMAGES` in the staging folder) on the manager through this
 * run's docker config, all at once: a refused login (`loginFailed`) or a missing image fails
 * here, before any service changed. The config stays in the staging folder for `deployStack`.
 */
function pullStackImages(layout, login) {
    const refused = login ? (0,command.sh) `${release/* REFUSED_LOGIN */.nv}) status=${protocol/* EXIT */.dc.loginFailed} ;;` : (0,command.sh) ``;
    return (0,script/* hostScript */.Q1)('monarch_pull_stack_images', (0,command.sh) `umask 077
${(0,release/* useRunConfig */.P4)(layout, login !== null)}
cd ${layout.stagingDir} || exit 1
rm -f -- .monarch-pull-*
i=0
while IFS= read -r image; do
  [ -n "$image" ] || continue
  i=$((i + 1))
  (docker pull --quiet "$image" </dev/null >/dev/null 2>".monarch-pull-$i" || mv -- ".monarch-pull-$i" ".monarch-pull-$i.failed") &
done <${host_scripts_layout/* STACK_IMAGES */.k2}
wait
status=0
for err in .monarch-pull-*.failed; do
  [ -e "$err" ] || continue
  output=$(cat -- "$err")
  printf '%s\n' "$output" | tail -n 5 >&2
  case $output in
    ${refused}
    *) [ $status = ${protocol/* EXIT */.dc.loginFailed} ] || status=1 ;;
  esac
done
rm -f -- .monarch-pull-*
exit $status`);
}
/** The replies of `deployStack` and `removeDroppedServices`. */
const STACK_REPLIES = (0,protocol/* replyKeys */.x1)({
    created: 'created',
    updated: 'updated',
    prunedService: 'pruned_service',
});
/**
 * `docker stack deploy` of the installed stack file, from app-dir (where the file's relative
 * paths point), through this run's docker config; `--with-registry-auth` hands its login to
 * the nodes that pull. Not `--prune`: the services the new file dropped are removed only once
 * it converged (`removeDroppedServices`), so a rollback still has them. The run's docker
 * config is removed afterwards (kept in the state folder with `keep`, as compose mode does).
 * Prints `created=` and `updated=` for each service; exits `upFailed` with docker's output
 * when the deploy fails.
 */
function deployStack(layout, stack, login) {
    return (0,script/* hostScript */.Q1)('monarch_deploy_stack', (0,command.sh) `umask 077
${(0,release/* useRunConfig */.P4)(layout, login !== null)}
cd ${layout.appDir} || exit 1
status=0
output=$(docker stack deploy --with-registry-auth --compose-file ${host_scripts_layout/* STACK_FILE */.WJ} ${stack} 2>&1 </dev/null) || status=${protocol/* EXIT */.dc.upFailed}
${(0,release/* dropRunConfig */.bO)(layout, login)}
if [ $status != 0 ]; then printf '%s\n' "$output" | tail -n 20 >&2; exit $status; fi
printf '%s\n' "$output" | sed -n -e ${`s/^Creating service \\([^ ]*\\).*/${STACK_REPLIES.created}=\\1/p`} -e ${`s/^Updating service \\([^ ]*\\).*/${STACK_REPLIES.updated}=\\1/p`}`);
}
/**
 * Removes the services of `stack` that its new file no longer has (what `--prune` would have
 * done at the deploy); prints `pruned_service=<name>` for each.
 */
function removeDroppedServices(stack, services) {
    return (0,script/* hostScript */.Q1)('monarch_remove_dropped_services', (0,command.sh) `keep=${` ${services.map((s) => `${stack}_${s}`).join(' ')} `}
for name in $(${stackServices(stack)}); do
  case $keep in *" $name "*) continue ;; esac
  docker service rm "$name" >/dev/null && echo "${STACK_REPLIES.prunedService}=$name"
done
exit 0`);
}
/**
 * Puts back every service this deploy changed (`docker service rollback` to its previous
 * spec, once: a second one would swap the failed spec back in) and removes those it created,
 * comparing the stack with what `snapshotStack` recorded (without that record it does
 * nothing, and fails). Prints, one per line for `waitForRollback`, the services it rolled
 * back and those Swarm is rolling back itself (`failure_action: rollback`); says on standard
 * error which services it removed.
 */
function rollbackStack(layout, stack) {
    const before = servicesBefore(layout);
    return (0,script/* hostScript */.Q1)('monarch_rollback_stack', (0,command.sh) `[ -f ${before} ] && [ ! -L ${before} ] || { echo "no record of the stack's services before this deploy (${before})" >&2; exit 1; }
names=$(${stackServices(stack)}) || exit 1
[ -n "$names" ] || exit 0
now=$(${specHashes((0,command.sh) `$names`)}) || exit 1
states=$(docker service inspect --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' $names) || exit 1
printf '%s\n' "$now" | while read -r name hash; do
  [ -n "$name" ] || continue
  was=$(awk -v n="$name" '$1 == n { print $2 }' ${before})
  if [ -z "$was" ]; then
    docker service rm "$name" >/dev/null || exit 1
    echo "removed $name, which the failed deploy created" >&2
  elif [ "$was" != "$hash" ]; then
    docker service rollback --detach "$name" >/dev/null </dev/null || exit 1
    echo "$name"
  else
    case " $(printf '%s\n' "$states" | awk -v n="$name" '$1 == n { print $2 }')" in *" rollback_"*) echo "$name" ;; esac
  fi
done`);
}

// EXTERNAL MODULE: ./src/deploy/deadlines.ts
var deadlines = __webpack_require__(4466);
// EXTERNAL MODULE: external "node:path/posix"
var posix_ = __webpack_require__(3916);
var posix_default = /*#__PURE__*/__webpack_require__.n(posix_);
;// CONCATENATED MODULE: ./src/deploy/session.ts
/** One droplet being deployed: its connection, the settings, and what the steps learned. */




/** A step that failed in a way the user can act on; `message` says what and where. */
class DeployStepError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DeployStepError';
    }
}
/**
 * app-dir holds what the deploy must not follow or overwrite (a link, a folder where a file
 * goes, a foreign owner): the step stopped before it changed anything. `stdout` is the
 * program's, whose `unsafe=` reply says what.
 */
class UnsafeHostError extends DeployStepError {
    constructor(host, stdout) {
        const what = (0,protocol/* readReplies */.Bd)(stdout, safe_files/* UNSAFE_REPLIES */._w).get(safe_files/* UNSAFE_REPLIES */._w.unsafe);
        super(`${host}: ${what ?? 'app-dir is not safe to deploy into'}; nothing was changed. ` +
            "Remove it, or fix app-dir's owner and mode, and deploy again");
        this.name = 'UnsafeHostError';
    }
}
/** Starts a session on a connected host. */
function openSession(host, inputs, identity, mode) {
    return {
        host,
        inputs,
        identity,
        mode,
        layout: (0,host_scripts_layout/* layoutOf */.aH)(inputs.appDir, identity.runId),
    };
}
/** Compose's default project name for the app directory (its base name, as compose derives it). */
function projectName(appDir) {
    return (posix_default().basename(appDir)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '') || 'default');
}
/** Names the release files (relative to the app directory) that a deploy replaces. */
function releaseFiles(session) {
    const { inputs, mode } = session;
    return [
        'docker-compose.yml',
        ...mode.releaseEntries.map((entry) => entry.name),
        '.env',
        ...inputs.files.map((file) => file.remoteName),
    ];
}
/** What the host programs need to know about this session's release. */
function releaseTarget(session) {
    return {
        layout: session.layout,
        files: releaseFiles(session),
        project: projectName(session.inputs.appDir),
    };
}
/** The remote programs of this session's deploy, as its mode has them. */
function programsOf(session) {
    const token = `${session.identity.runId}@${session.host.name}`;
    return session.mode.programs(releaseTarget(session), token);
}

;// CONCATENATED MODULE: ./src/deploy/lock.ts
/** The first remote command of a deploy: wait for the droplet, create app-dir, take the lock. */







/**
 * One long-lived remote command (see `lockProgram`): waits for the setup marker, creates the
 * app directory, finds the compose command, and takes the deploy lock, holding it until
 * `lock.release()` or the connection drops (then the host's kernel releases it).
 */
async function lockHost(session, markerBudgetMs, holdMs) {
    const { inputs, identity } = session;
    const holder = `${identity.actor || 'someone'} (${identity.runUrl || 'a run without a URL'}) since`;
    const script = programsOf(session).lock({ marker: inputs.setupMarker, seconds: Math.ceil(markerBudgetMs / 1000) }, Math.ceil(inputs.lockTimeoutMs / 1000), holder);
    const outcome = await session.host.hold(script, {
        label: 'Waiting for the droplet',
        timeoutMs: markerBudgetMs + inputs.lockTimeoutMs + holdMs,
        // The lock is held long after it is taken; taking it is what the runner's clock bounds.
        runnerDeadlineMs: (0,timed/* runnerDeadlineMs */.D)((0,deadlines/* lockReadyBudget */.QB)(inputs, markerBudgetMs, session.mode.locks)),
        readyLine: protocol/* READY_LINE */.je,
    });
    if (!outcome.ready)
        throw hostNotReady(session, outcome.result);
    const replies = (0,protocol/* readReplies */.Bd)(outcome.held.stdout, prepare/* MARKER_REPLIES */.oV, prepare/* DETECT_REPLIES */.Rs, prepare/* LOCK_REPLIES */.ZU);
    return {
        lock: outcome.held,
        waitedSeconds: replies.number(prepare/* MARKER_REPLIES */.oV.waited),
        lockWaitedSeconds: replies.number(prepare/* LOCK_REPLIES */.ZU.lockWaited),
        composeCommand: replies.get(prepare/* DETECT_REPLIES */.Rs.compose) ?? '',
        user: replies.get(prepare/* DETECT_REPLIES */.Rs.user) ?? '',
    };
}
/** `mode: swarm`, and the host is not a manager of an active swarm: the next one may be. */
class NotManagerError extends DeployStepError {
    constructor(host, state) {
        const [local = '', control = '', quorum = ''] = state.split(' ');
        let why = `${host} is not part of an active swarm (its state: ${local || 'unknown'}): 'host' must name manager nodes of the swarm (docker swarm init)`;
        if (local === 'locked')
            why = `the swarm of ${host} is locked: unlock it on the manager (docker swarm unlock)`;
        else if (local === 'active' && control === 'false') {
            why = `${host} is a worker of its swarm, not a manager: 'host' must name manager nodes`;
        }
        else if (quorum === 'noquorum') {
            why = `${host} is a manager, but the swarm does not answer it (have the managers lost their quorum?)`;
        }
        super(why);
        this.name = 'NotManagerError';
    }
}
/** Why the host was not ready: the marker, app-dir, docker, flock or the lock. */
function hostNotReady(session, result) {
    const { inputs, layout, host } = session;
    const replies = (0,protocol/* readReplies */.Bd)(result.stdout, prepare/* DETECT_REPLIES */.Rs, SWARM_REPLIES);
    const user = replies.get(prepare/* DETECT_REPLIES */.Rs.user) ?? inputs.username;
    switch (result.code) {
        case protocol/* EXIT */.dc.unsafePath:
            return new UnsafeHostError(host.name, result.stdout);
        case protocol/* EXIT */.dc.markerTimeout:
            return new DeployStepError(`the setup marker ${inputs.setupMarker} did not appear on ${host.name} within ` +
                `'setup-timeout' (${Math.round(inputs.setupTimeoutMs / 1000)} s): has cloud-init finished?`);
        case protocol/* EXIT */.dc.notWritable:
            return new DeployStepError(`user '${user}' cannot create or write ${layout.appDir} on ${host.name}: create it for that ` +
                `user first (for example in cloud-init: mkdir -p ${layout.appDir} && chown ${user} ${layout.appDir})`);
        case protocol/* EXIT */.dc.noDocker:
            return new DeployStepError(session.mode.words.noDocker(host.name, user));
        case protocol/* EXIT */.dc.notManager:
            return new NotManagerError(host.name, replies.get(SWARM_REPLIES.swarm) ?? '');
        case protocol/* EXIT */.dc.noFlock:
            return new DeployStepError(`${host.name} has no 'flock' (util-linux or busybox), needed for the deploy lock`);
        case protocol/* EXIT */.dc.locked:
            return new DeployStepError(session.mode.lockedError(host.name, result.stdout, `'lock-timeout' (${Math.round(inputs.lockTimeoutMs / 1000)} s)`));
        default:
            return new remote_host/* RemoteCommandError */.at('Preparing the droplet', result.code, result.stderr);
    }
}

// EXTERNAL MODULE: ./src/env/render.ts
var render = __webpack_require__(5691);
// EXTERNAL MODULE: ./src/host-scripts/programs.ts + 1 modules
var programs = __webpack_require__(1431);
;// CONCATENATED MODULE: ./src/remote/tar.ts
/**
 * A minimal ustar archive writer: how a release travels to the host, as the standard input of
 * the one command that unpacks it (`tar -x`, GNU or busybox), with no SFTP session to open.
 * Only what a release holds: folders and regular files, relative names without `..`.
 */
const BLOCK = 512;
const NAME_BYTES = 100;
const PREFIX_BYTES = 155;
/** The archive of `entries`, in order (a folder before what it holds), with its end marker. */
function tarArchive(entries) {
    const parts = [];
    for (const entry of entries) {
        const content = entry.content ?? Buffer.alloc(0);
        parts.push(header(entry, content.length));
        if (content.length) {
            parts.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
        }
    }
    parts.push(Buffer.alloc(2 * BLOCK));
    return Buffer.concat(parts);
}
function header(entry, size) {
    const isDir = entry.content === undefined;
    const { name, prefix } = splitName(isDir ? `${entry.name}/` : entry.name);
    const block = Buffer.alloc(BLOCK);
    block.write(name, 0, NAME_BYTES, 'utf8');
    octal(block, 100, 8, entry.mode & 0o7777);
    octal(block, 108, 8, 0); // uid, gid: the extracting user's (tar -o)
    octal(block, 116, 8, 0);
    octal(block, 124, 12, size);
    octal(block, 136, 12, Math.floor(Date.now() / 1000));
    block.write(isDir ? '5' : '0', 156, 1, 'ascii');
    block.write('ustar\u000000', 257, 8, 'ascii');
    block.write(prefix, 345, PREFIX_BYTES, 'utf8');
    // The checksum is computed with its own field as eight spaces.
    block.fill(' ', 148, 156);
    const sum = block.reduce((total, byte) => total + byte, 0);
    block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
    return block;
}
function octal(block, offset, width, value) {
    block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}
/** ustar's two name fields: up to 155 bytes of folders, then up to 100 bytes. */
function splitName(full) {
    if (Buffer.byteLength(full) <= NAME_BYTES)
        return { name: full, prefix: '' };
    const slashes = [...full.matchAll(/\//g)].map((m) => m.index);
    for (const at of slashes) {
        const prefix = full.slice(0, at);
        const name = full.slice(at + 1);
        if (Buffer.byteLength(prefix) <= PREFIX_BYTES && name && Buffer.byteLength(name) <= NAME_BYTES)
            return { name, prefix };
    }
    throw new Error(`the path ${full} is too long to upload (at most 255 bytes, names of 100)`);
}

// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(7194);
;// CONCATENATED MODULE: ./src/deploy/upload.ts
/**
 * What a release uploads into this run's staging folder: the compose file, the extra files,
 * `.env` (mode 0600 from creation) and, with a registry, this run's own docker config holding
 * the login (mode 0600), as one tar archive that travels on the standard input of the pull's
 * command (see `pullProgram`), or of the dry run's.
 */





/** The release's files and folders, and their archive. */
function releaseArchive(session) {
    const entries = releaseEntries(session);
    return { entries, archive: tarArchive(entries) };
}
function releaseEntries(session) {
    const { inputs } = session;
    const dirs = [...new Set(inputs.files.flatMap((file) => parents(file.remoteName)))].sort((a, b) => a.split('/').length - b.split('/').length);
    return [
        ...dirs.map((dir) => ({ name: dir, mode: 0o755 })),
        // Every file was read whole when it was checked (see workspace-files.ts): what is
        // uploaded is what was checked.
        { name: 'docker-compose.yml', mode: 0o644, content: inputs.composeContent },
        ...inputs.files.map((file) => ({
            name: file.remoteName,
            mode: file.mode,
            content: file.content,
        })),
        ...session.mode.releaseEntries,
        { name: '.env', mode: 0o600, content: Buffer.from((0,render/* renderEnvFile */.mJ)(inputs.env)) },
        ...(inputs.registry
            ? [
                { name: host_scripts_layout/* DOCKER_CONFIG_DIR */.KO, mode: 0o700 },
                {
                    name: `${host_scripts_layout/* DOCKER_CONFIG_DIR */.KO}/config.json`,
                    mode: 0o600,
                    content: Buffer.from(dockerConfig(inputs.registry)),
                },
            ]
            : []),
    ];
}
/** A docker config.json holding one registry login, as `docker login` would write it. */
function dockerConfig(registry) {
    const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
    (0,secrets/* registerSecret */.cl)(auth);
    return `${JSON.stringify({ auths: { [registry.server]: { auth } } }, null, 2)}\n`;
}
function parents(name) {
    const parts = name.split('/').slice(0, -1);
    return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
/** Removes this run's staging folder (files, registry credentials) after an early failure. */
async function removeStaging(session, log) {
    if (session.inputs.dryRun)
        return true;
    try {
        const result = await session.host.exec((0,programs/* removeFolderProgram */.j8)(session.layout.stagingDir), {
            label: 'Cleaning up',
            timeoutMs: 15_000,
        });
        return result.code === 0;
    }
    catch (error) {
        log.debug(`could not remove ${session.layout.stagingDir}: ${String(error)}`);
        return false;
    }
}

;// CONCATENATED MODULE: ./src/deploy/dry-run.ts
/**
 * A dry run: checks everything a deploy needs and changes nothing. The marker, the compose file
 * as the host's compose reads it (in a temporary folder outside the app directory, which the
 * host removes on any way out), the registry login (with a throwaway docker config), and which
 * `.env` keys would be added, changed or removed (compared here; no value is printed).
 */










/** Runs the dry run's command; the release travels on its standard input. */
async function dryRun(session, markerBudgetMs) {
    const { host, inputs } = session;
    const outcome = await host.hold(programsOf(session).dryRun({
        marker: inputs.setupMarker,
        seconds: Math.ceil(markerBudgetMs / 1000),
    }), {
        label: 'Checking the droplet',
        timeoutMs: markerBudgetMs + 2 * inputs.commandTimeoutMs,
        readyLine: protocol/* READY_LINE */.je,
    });
    if (!outcome.ready)
        throw hostNotReady(session, outcome.result);
    const { held } = outcome;
    const facts = (0,protocol/* readReplies */.Bd)(held.stdout, prepare/* MARKER_REPLIES */.oV, prepare/* DETECT_REPLIES */.Rs, dry_run/* DRY_RUN_REPLIES */.lj);
    const composeCommand = facts.get(prepare/* DETECT_REPLIES */.Rs.compose) ?? '';
    held.release(Buffer.concat([
        Buffer.from(`${timed/* GO_LINE */.qh}\n${composeCommand}\n`),
        releaseArchive(session).archive,
    ]));
    const checked = await held.result;
    checkResult(session, checked);
    const current = facts.get(dry_run/* DRY_RUN_REPLIES */.lj.currentEnv);
    const readable = current !== 'unreadable';
    const text = current && readable ? Buffer.from(current, 'base64').toString('utf8') : null;
    const { unreadable, ...keys } = diffEnv(text, inputs.env);
    return {
        ...session.mode.dryRunPlan(checked.stdout),
        composeCommand,
        user: facts.get(prepare/* DETECT_REPLIES */.Rs.user) ?? '',
        appDirExists: facts.get(dry_run/* DRY_RUN_REPLIES */.lj.appDir) === 'yes',
        ...keys,
        ...(unreadable || !readable ? { currentEnvUnreadable: true } : {}),
    };
}
function checkResult(session, result) {
    const { host, inputs } = session;
    const checks = (0,protocol/* readReplies */.Bd)(result.stdout, dry_run/* DRY_RUN_REPLIES */.lj);
    if (checks.get(dry_run/* DRY_RUN_REPLIES */.lj.composeError)) {
        const output = result.stdout
            .split('\n')
            .filter((line) => !/^[a-z_]+=/.test(line) && line !== protocol/* READY_LINE */.je);
        throw new DeployStepError(`the compose file does not pass 'compose config' on ${host.name}: ${(0,remote_text/* lastLines */.w$)(output.join('\n'), 3)}`);
    }
    if (checks.get(dry_run/* DRY_RUN_REPLIES */.lj.loginError) && inputs.registry) {
        throw new DeployStepError(`registry login to ${inputs.registry.server} failed: ${(0,remote_text/* lastLines */.w$)(result.stderr, 2)}`);
    }
    if (result.code !== 0)
        throw new remote_host/* RemoteCommandError */.at('Checking the release', result.code, result.stderr);
}

// EXTERNAL MODULE: ./src/host-scripts/release-command.ts
var release_command = __webpack_require__(6470);
;// CONCATENATED MODULE: ./src/deploy/release-command.ts
/**
 * `release-command` on the runner's side: run once, on the run's first host, after its pull and
 * before its start; the other hosts' starts wait on the gate it opens (`ReleaseGate`), so no
 * host switches before the command succeeded, and none does if it failed.
 */






/** How many of the command's last lines a failure quotes. */
const QUOTED_LINES = 10;
/** The release command ran and failed, or did not finish in time: nothing was switched. */
class ReleaseCommandError extends DeployStepError {
    output;
    constructor(message, 
    /** What it printed (its output and compose's), as the host sent it. */
    output = '') {
        super(message);
        this.output = output;
        this.name = 'ReleaseCommandError';
    }
}
/** The log title of the step. */
function releaseCommandTitle(plan) {
    return `Running the release command in a one-off container of ${plan.service}`;
}
/**
 * Runs the release command once `ready` resolves (its channel opens now: see
 * `ExecOptions.after`); resolves with its output, or rejects with a `ReleaseCommandError`.
 */
async function runReleaseCommand(session, plan, ready) {
    const seconds = (0,timed/* wholeSeconds */.sb)(plan.timeoutMs);
    const script = (0,release_command/* releaseCommandProgram */.le)(releaseTarget(session), { service: plan.service, seconds });
    let result;
    try {
        result = await session.host.exec(script, {
            label: 'Running the release command',
            stdin: (0,release_command/* releaseCommandWords */.UR)(plan.words),
            timeoutMs: session.mode.limits.releaseCommand,
            after: ready,
        });
    }
    catch (error) {
        if (!(error instanceof remote_host/* RemoteTimeoutError */.aC))
            throw error;
        throw new ReleaseCommandError(`the release command failed: ${session.host.name} did not answer within its timeout (${seconds} s); nothing was switched`);
    }
    const output = result.stderr;
    const tail = (0,remote_text/* lastLines */.w$)(output, QUOTED_LINES);
    const quoted = tail ? `; its last lines:\n${tail}` : '; it printed nothing';
    switch (result.code) {
        case 0:
            return output;
        case protocol/* EXIT */.dc.notStarted:
            throw new DeployStepError('the release command did not run: an earlier step failed');
        case protocol/* EXIT */.dc.releaseCommandTimedOut:
            throw new ReleaseCommandError(`the release command failed: it did not finish within 'release-command-timeout' (${seconds} s), ` +
                `was stopped and its container removed; nothing was switched, the previous release keeps running${quoted}`, output);
        case protocol/* EXIT */.dc.releaseCommandFailed: {
            const replies = (0,protocol/* readReplies */.Bd)(result.stdout, release_command/* RELEASE_COMMAND_REPLIES */.PQ);
            throw new ReleaseCommandError(`the release command failed with exit status ${replies.get(release_command/* RELEASE_COMMAND_REPLIES */.PQ.status) ?? '?'}; ` +
                `nothing was switched, the previous release keeps running${quoted}`, output);
        }
        default:
            throw new remote_host/* RemoteCommandError */.at('Running the release command', result.code, output);
    }
}
/** Runs `running` as the step: its output in the host's log, then its outcome. */
async function logReleaseCommand(running, plan, log) {
    log.info(`release command: ${plan.line}`);
    try {
        const output = await running;
        if (output.trim())
            log.info(output.trimEnd());
        log.info('the release command succeeded');
    }
    catch (error) {
        if (error instanceof ReleaseCommandError && error.output.trim())
            log.info(error.output.trimEnd());
        throw error;
    }
}
/** A gate for a run whose release command runs on `host`. */
function releaseGate(host) {
    let open = () => { };
    let close = () => { };
    const opened = new Promise((resolve, reject) => {
        open = resolve;
        close = reject;
    });
    opened.catch(() => { });
    return { host, opened, open: () => open(), close: (reason) => close(reason) };
}
/**
 * For a host other than the gate's: resolves when the gate opens; otherwise rejects with the
 * reason this host does not switch (a `ReleaseCommandError` when the command failed).
 */
async function waitForGate(gate) {
    try {
        await gate.opened;
    }
    catch (reason) {
        const why = reason instanceof Error ? reason.message.split('\n')[0] : String(reason);
        const message = `nothing was switched here: the release command did not succeed on ${gate.host} (${why})`;
        throw reason instanceof ReleaseCommandError
            ? new ReleaseCommandError(message)
            : new DeployStepError(message);
    }
}
/**
 * With `release-command`: what the start of `hostName` waits for besides its pull (`ready`),
 * and the step that logs it (`step`, run after the pull's). On the gate's host, the command,
 * run after the pull (the gate opens or closes with it); on the others, the pull and the
 * gate. Null without a release command.
 */
function releaseSteps(hostName, session, deps, pulling, group) {
    const plan = session.inputs.releaseCommand;
    const gate = deps.releaseGate;
    if (!plan || !gate)
        return null;
    if (gate.host !== hostName) {
        const ready = pulling.then(() => waitForGate(gate));
        ready.catch(() => { });
        const step = () => group(`Waiting for the release command on ${gate.host}`, async () => {
            await ready;
            deps.log.info(`the release command succeeded on ${gate.host}`);
        });
        return { ready, step };
    }
    const running = runReleaseCommand(session, plan, pulling);
    running.catch(() => { });
    // The gate's reason, when it closes: the pull's failure, or the command's.
    pulling
        .then(() => running)
        .then(() => gate.open(), (error) => gate.close(error));
    const ready = running.then(() => { });
    ready.catch(() => { });
    const step = () => group(releaseCommandTitle(plan), () => logReleaseCommand(running, plan, deps.log));
    return { ready, step };
}
/** The dry run's word on the release command: where it would run; it does not run it. */
function dryRunReleaseCommand(session, log) {
    const plan = session.inputs.releaseCommand;
    if (!plan)
        return;
    const first = session.inputs.hosts[0];
    const where = session.host.name === first ? 'on this host' : `on ${first} (the run's first host), not here`;
    log.info(`a deploy would run the release command once, ${where}, in a one-off container of ${plan.service} ` +
        `(timeout ${Math.round(plan.timeoutMs / 1000)} s), after the pull and before the switch; the dry run does not run it: ${plan.line}`);
}

;// CONCATENATED MODULE: ./src/deploy/dry-run-steps.ts


/** Runs the dry run within `deadline` and logs its findings. */
function dryRunSteps(session, deadline, group, log) {
    const { inputs } = session;
    return group('Dry run: checking the droplet, the compose file and the registry login', async () => {
        const report = await dryRun(session, Math.max(0, deadline - Date.now()));
        log.info(`${session.mode.words.tool(report.composeCommand)}; user ${report.user}`);
        log.info(`${inputs.appDir} ${report.appDirExists ? 'exists' : 'does not exist yet (a deploy would create it)'}`);
        for (const line of session.mode.dryRunLines(report))
            log.info(line);
        if (inputs.registry)
            log.info(`registry login to ${inputs.registry.server} works`);
        if (report.currentEnvUnreadable) {
            log.warning(`${inputs.appDir}/.env is not a .env file compose can read (or not a regular file of at most 1 MiB): every key counts as added`);
        }
        log.info(`.env keys added: ${report.added.join(', ') || 'none'}`);
        log.info(`.env keys changed: ${report.changed.join(', ') || 'none'}`);
        log.info(`.env keys removed: ${report.removed.join(', ') || 'none'}`);
        dryRunReleaseCommand(session, log);
        log.info('nothing was changed on the droplet');
        return report;
    });
}

;// CONCATENATED MODULE: ./src/deploy/host-state.ts
/**
 * What a host may be running when it went out of reach in the middle of a deploy: the
 * connection lost, the host no longer answering, or a command whose end it never reported.
 * Nothing more can be done over that connection (no rollback), so the message says what to
 * check.
 */

const STATE = {
    unchanged: 'nothing that runs was changed yet: the host still runs the release it ran before',
    starting: 'the new release may be starting or running, and the previous one may be stopped; ' +
        'no rollback was tried: check the host',
    rollingBack: 'the rollback may be partly done: check what the host runs',
};
/** True when `error` means the host can no longer be told anything over this connection. */
function isOutOfReach(error) {
    return error instanceof remote_host/* ConnectionLostError */.N9 || error instanceof remote_host/* NoReportError */.Eg;
}
/** `error`'s message, and what the host may be running after `phase`. */
function outOfReachMessage(error, phase) {
    return `${error.message}; ${STATE[phase]}`;
}

// EXTERNAL MODULE: ./src/host-scripts/start-first.ts
var start_first = __webpack_require__(7140);
;// CONCATENATED MODULE: ./src/deploy/fleet.ts
/** How many hosts deploy at once under `plan`. */
function concurrency(plan, hostCount) {
    return plan.strategy === 'parallel' ? Math.max(1, Math.min(plan.maxParallel, hostCount)) : 1;
}
/** The result of a host a rolling deploy never reached. */
function skippedHost(host) {
    return { host, status: 'skipped', rolledBack: false, images: [], history: [], durationMs: 0 };
}
/**
 * Deploys every host with `deployOne`, never more than `concurrency` at once, and returns the
 * results in the order of `hosts`. `deployOne` never throws: failures are in its result.
 */
async function deployFleet(hosts, plan, deployOne) {
    const results = new Array(hosts.length);
    let stopped = false;
    let next = 0;
    const worker = async () => {
        while (next < hosts.length) {
            const index = next++;
            if (stopped) {
                results[index] = skippedHost(hosts[index]);
                continue;
            }
            results[index] = await deployOne(hosts[index]);
            if (plan.strategy === 'rolling' && results[index].status === 'failure')
                stopped = true;
        }
    };
    await Promise.all(Array.from({ length: concurrency(plan, hosts.length) }, worker));
    return results;
}

;// CONCATENATED MODULE: ./src/deploy/rollout-log.ts
/** How one service was rolled, in words: the log's line and the summary's cell. */
function describeRollout(rollout) {
    if (rollout.order === 'recreate')
        return 'up -d (recreated if it changed)';
    if (rollout.overlapSeconds === null)
        return 'start-first (first start: nothing to overlap)';
    return `start-first: old and new ran side by side for ${rollout.overlapSeconds} s`;
}
/** One line per service, and a warning for each start-first service without a healthcheck. */
function logRollouts(outcome, log) {
    for (const service of outcome.withoutHealthcheck ?? []) {
        log.warning(`${service} is start-first but its containers have no healthcheck: its old containers were stopped once the new ones had run for a second; start-first is only as safe as its healthcheck`);
    }
    for (const rollout of outcome.rollouts ?? [])
        log.info(`${rollout.service}: ${describeRollout(rollout)}`);
}
/** What a deploy by `plan` would do, for the dry run: which services start-first, in order. */
function describePlan(plan) {
    const startFirst = plan.startFirst.map((service) => `${service.name} (${service.replicas} container${service.replicas === 1 ? '' : 's'}, old ones stopped with ${service.stopGraceSeconds} s of grace${service.healthcheck === true ? '' : "; no healthcheck in the compose file: the image's, if any, is the gate"})`);
    return [
        `a deploy would roll start-first, in this order: ${startFirst.join(', ')}`,
        `a deploy would start by up -d (recreated if changed): ${plan.recreate.join(', ') || 'none'}`,
    ];
}

;// CONCATENATED MODULE: ./src/deploy/compose-mode.ts
/**
 * Compose mode: on each host, `docker compose` pulls and starts the release in app-dir; the
 * hosts go as `strategy` and `max-parallel` say. Services the compose file marks start-first
 * (`deploy.update_config.order`) are rolled beside their old containers (`Inputs.rollout`).
 */










/** Compose mode for `inputs`. */
function composeMode(inputs) {
    const server = inputs.registry?.server ?? null;
    const login = server ? { server, keep: !inputs.registryLogout } : null;
    const rollout = inputs.rollout && {
        plan: inputs.rollout,
        healthSeconds: (0,timed/* wholeSeconds */.sb)((0,deadlines/* rolloutHealthMs */._S)(inputs)),
    };
    // A rollback waits until the release it put back is healthy again.
    const rollbackSeconds = Math.ceil(inputs.healthTimeoutMs / 1000);
    return {
        programs: (target) => ({
            lock: (wait, seconds, holder) => (0,programs/* lockProgram */.Wj)(target.layout, wait, seconds, holder),
            pull: (entries) => (0,programs/* pullProgram */.Qq)(target, entries, login),
            start: (options) => (0,programs/* startProgram */.Xd)(target, options, rollout),
            rollback: (record) => (0,programs/* rollbackProgram */.NB)(target, record, rollbackSeconds),
            recordFailure: (record) => (0,programs/* recordFailureProgram */.uD)(target, record),
            dryRun: (wait) => (0,programs/* dryRunProgram */.NM)(target.layout, wait, target.project, server),
        }),
        releaseEntries: [],
        words: {
            tool: (composeCommand) => `compose command: ${composeCommand}`,
            startTitle: 'Starting containers, checking health',
            startLabel: 'Starting containers',
            firstDeploy: `first deploy to ${inputs.appDir}: there is no previous release to roll back to`,
            noDocker: (host, user) => `${host} has no docker with compose ('docker compose' or 'docker-compose') on the PATH of '${user}'`,
            upFailed: 'starting the containers',
            healthTimeout: (timeout, output) => `the containers were not healthy within ${timeout}${output ? `: ${(0,remote_text/* firstLines */.UV)(output, 12)}` : ''}`,
            unhealthy: (detail) => `health check failed: ${(0,remote_text/* firstLines */.UV)(detail, 40)}`,
        },
        locks: 1,
        limits: (0,deadlines/* stepLimits */.Bz)(inputs, inputs.healthTimeoutMs),
        rollbackError: (code, stderr) => new DeployStepError(`the previous release was put back but is not healthy: ${code === protocol/* EXIT */.dc.healthTimeout ? `not within 'health-timeout'` : (0,remote_text/* firstLines */.UV)(stderr, 12)}`),
        lockedError: (host, stdout, gaveUpAfter) => `another deploy holds the lock on ${host} (${holders(stdout)}); gave up after ${gaveUpAfter}`,
        report: (stdout) => {
            const replies = (0,protocol/* readReplies */.Bd)(stdout, start_first/* ROLLOUT_REPLIES */.d2);
            const rollouts = rolloutsOf(replies.all(start_first/* ROLLOUT_REPLIES */.d2.rolled));
            return {
                ...(rollouts.length ? { rollouts } : {}),
                withoutHealthcheck: replies.all(start_first/* ROLLOUT_REPLIES */.d2.noHealthcheck),
            };
        },
        logOutcome: logRollouts,
        dryRunPlan: () => ({}),
        dryRunLines: () => [
            "the compose file passes the host's compose config check",
            ...(inputs.rollout ? describePlan(inputs.rollout) : []),
        ],
        deployHosts: (hosts, deployOne) => {
            const buffered = concurrency(inputs, hosts.length) > 1;
            return deployFleet(hosts, inputs, (host) => deployOne(host, { buffered }));
        },
    };
}
/** Who holds a lock, from the `holder=` replies in the lock program's `stdout`. */
function holders(stdout) {
    const lines = (0,protocol/* readReplies */.Bd)(stdout, prepare/* LOCK_REPLIES */.ZU).all(prepare/* LOCK_REPLIES */.ZU.holder);
    return lines.join(' ').trim() || 'holder unknown';
}
/** The `rolled=<service> <order> [<overlap>|first]` replies of a start by a rollout plan. */
function rolloutsOf(rolled) {
    return rolled.flatMap((line) => {
        const [service = '', order = '', overlap = ''] = line.split(' ');
        if (order !== 'start-first' && order !== 'recreate')
            return [];
        const seconds = /^\d+$/.test(overlap) ? Number(overlap) : null;
        return [{ service, order, overlapSeconds: order === 'start-first' ? seconds : null }];
    });
}

// EXTERNAL MODULE: ./src/host-scripts/history.ts
var host_scripts_history = __webpack_require__(6239);
// EXTERNAL MODULE: ./src/host-scripts/receive.ts
var receive = __webpack_require__(6482);
// EXTERNAL MODULE: ./src/host-scripts/rollback.ts
var rollback = __webpack_require__(7879);
;// CONCATENATED MODULE: ./src/host-scripts/swarm-lease.ts
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




function leaseName(stack) {
    return `monarch-lock-${stack}`;
}
/** What a lease that gave up adds to `LOCK_REPLIES`: `lease=swarm`, the lock that was held. */
const LEASE_REPLIES = (0,protocol/* replyKeys */.x1)({ lease: 'lease' });
/**
 * Takes the lease, waiting up to `waitSeconds` for another run's. One older than
 * `staleSeconds` is removed by its ID (so of two runs that judged it stale, one removes it and
 * the other's removal fails; both then race to create, and one `create` wins). Prints
 * `lock_waited=<seconds>` when it waited; when it gives up, `holder=<who holds it>` and
 * `lease=swarm`, and exits `locked`.
 */
function takeLease(claim) {
    const name = leaseName(claim.stack);
    return (0,script/* hostScript */.Q1)('monarch_take_lease', (0,command.sh) `asked=$(date +%s)
while :; do
  now=$(date +%s)
  if printf '%s %s' ${claim.holder} "$(date -u +%Y-%m-%dT%H:%M:%SZ)" | docker config create --label monarch.lock=1 --label "monarch.since=$now" --label ${`monarch.token=${claim.token}`} ${name} - >/dev/null 2>&1; then
    [ "$now" -le "$asked" ] || echo "${prepare/* LOCK_REPLIES */.ZU.lockWaited}=$((now - asked))"
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
    docker config inspect --format '{{json .Spec.Data}}' ${name} 2>/dev/null | tr -d '"' | base64 -d 2>/dev/null | head -c 1024 | sed ${`s/^/${prepare/* LOCK_REPLIES */.ZU.holder}=/`}
    echo
    echo ${LEASE_REPLIES.lease}=swarm
    exit ${protocol/* EXIT */.dc.locked}
  fi
  sleep 1
done`);
}
/**
 * Gives the lease back (run once the flock on app-dir is released), only when it is still
 * this run's (`token`): one taken over after this run was judged dead is the new owner's.
 */
function releaseLease(stack, token) {
    return (0,script/* hostScript */.Q1)('monarch_release_lease', (0,command.sh) `lease=$(docker config inspect --format '{{.ID}} {{index .Spec.Labels "monarch.token"}}' ${leaseName(stack)} 2>/dev/null) || exit 0
if [ "\${lease#* }" = ${token} ]; then docker config rm "\${lease%% *}" >/dev/null 2>&1; fi
exit 0`);
}

// EXTERNAL MODULE: ./src/host-scripts/prune.ts
var prune = __webpack_require__(5379);
;// CONCATENATED MODULE: ./src/host-scripts/swarm-converge.ts
/**
 * Waiting, on the manager, until a stack's services run their new spec, and reporting what
 * runs where. What Swarm says is read from three docker calls a second: each service's
 * replicas (running/desired), its update state, and its tasks of the current spec that
 * should be running; the verdict is an awk program (`STACK_VERDICT`), tested on its own.
 */





/** How long a task may stay unplaceable for a host-mode port before the wait gives up on it. */
const PORT_STUCK_SECONDS = 5;
/**
 * Reads `MONARCH_WANT` (service names), `MONARCH_REPLICAS` (`name running/desired` lines),
 * `MONARCH_STATES` (`name state|message`, state `none` before any update) and `MONARCH_TASKS`
 * (`task|state|node|error` of up-to-date tasks that should run) from the environment; prints
 * per service `ok NAME`, `wait NAME what`, `port NAME error` (a task of a service in
 * `MONARCH_START_FIRST` that no node can take for its host-mode port) or `fail NAME why`
 * (Swarm paused the update, or rolled it back itself). With
 * `MONARCH_ROLLBACK=1` (waiting for a rollback), a rollback in progress is waited for, a
 * completed one is the end, and a paused one fails.
 */
const STACK_VERDICT = new command/* ShellCommand */.oI(`BEGIN {
  n = split(ENVIRON["MONARCH_WANT"], want, " ")
  rollback = ENVIRON["MONARCH_ROLLBACK"] == "1"
  done = rollback ? "rollback_completed" : "completed"
  count = split(ENVIRON["MONARCH_REPLICAS"], lines, "\\n")
  for (i = 1; i <= count; i++) {
    split(lines[i], f, " ")
    split(f[2], r, "/")
    running[f[1]] = r[1] + 0; desired[f[1]] = r[2] + 0
  }
  count = split(ENVIRON["MONARCH_STATES"], lines, "\\n")
  for (i = 1; i <= count; i++) {
    at = index(lines[i], " "); name = substr(lines[i], 1, at - 1); rest = substr(lines[i], at + 1)
    bar = index(rest, "|"); state[name] = substr(rest, 1, bar - 1); message[name] = substr(rest, bar + 1)
  }
  count = split(ENVIRON["MONARCH_TASKS"], lines, "\\n")
  for (i = 1; i <= count; i++) {
    if (lines[i] == "") continue
    nf = split(lines[i], f, "|")
    service = f[1]; sub(/\\.[^.]*$/, "", service)
    error = f[4]; for (j = 5; j <= nf; j++) error = error "|" f[j]
    tasks[service]++
    if (f[2] ~ /^Running/) up[service]++
    else note[service] = note[service] "; task " f[1] (f[3] == "" ? "" : " on " f[3]) ": " f[2] (error == "" ? "" : " (" error ")")
    if (error ~ /host-mode port already in use/ && index(" " ENVIRON["MONARCH_START_FIRST"] " ", " " service " ")) port[service] = error
  }
  for (i = 1; i <= n; i++) {
    s = want[i]; st = state[s]
    if (st == "rollback_paused" || (!rollback && st == "paused")) { print "fail " s " Swarm paused its " (rollback ? "rollback" : "update") ": " message[s] note[s]; continue }
    if (!rollback && st ~ /^rollback/) { print "fail " s " Swarm rolled its update back (" st "): " message[s] note[s]; continue }
    if ((st == "none" || st == done) && up[s] + 0 == desired[s] && tasks[s] + 0 == desired[s]) { print "ok " s; continue }
    if (s in port) print "port " s " " port[s]
    print "wait " s " " up[s] + 0 "/" desired[s] + 0 " tasks of its current spec running" (st == "none" || st == "" || st == done ? "" : ", " st) note[s]
  }
}`);
/**
 * Waits, for at most `seconds`, until every service given as an argument (full names) runs its
 * current spec with its desired replicas, healthy where it has a health check (Swarm starts a
 * task's container as `Running` only once it is healthy). Exits `unhealthy` at once when Swarm
 * paused or rolled back an update, or when a task of a `startFirst` service (start-first
 * update, host-mode port) stays unplaceable for `PORT_STUCK_SECONDS` (its old task holds the
 * port), and `healthTimeout` when time is up. A docker call that fails (a manager electing a
 * leader) is tried again the next second, until time is up. Standard error then says why:
 * the services that failed first, then those not there yet with their tasks' states and
 * errors, the tasks of the current spec that ended, and the nodes that are not ready.
 */
function waitForStack(stack, seconds, startFirst) {
    return (0,script/* hostScript */.Q1)('monarch_wait_for_stack', waitBody(stack, seconds, startFirst, false));
}
/**
 * `waitForStack` for the services a rollback put back (see `rollbackStack`): a rollback in
 * progress is waited for, a completed one is the end, a paused one fails.
 */
function waitForRollback(stack, seconds) {
    return (0,script/* hostScript */.Q1)('monarch_wait_for_rollback', waitBody(stack, seconds, [], true));
}
function waitBody(stack, seconds, startFirst, rollback) {
    return (0,command.sh) `[ $# -gt 0 ] || exit 0
export MONARCH_WANT="$*" MONARCH_ROLLBACK=${rollback ? '1' : '0'} MONARCH_START_FIRST=${startFirst.join(' ')}
deadline=$(( $(date +%s) + ${seconds} ))
nl='
'
stuck_since=
status=
while :; do
  if MONARCH_REPLICAS=$(docker service ls --filter ${(0,host_scripts_layout/* stackFilter */.R)(stack)} --format '{{.Name}} {{.Replicas}}' 2>&1) &&
    MONARCH_STATES=$(docker service inspect --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}|{{.UpdateStatus.Message}}{{else}}none|{{end}}' "$@" 2>&1) &&
    MONARCH_TASKS=$(docker service ps --no-trunc --filter desired-state=running --filter _up-to-date=true --format '{{.Name}}|{{.CurrentState}}|{{.Node}}|{{.Error}}' "$@" 2>&1); then
    export MONARCH_REPLICAS MONARCH_STATES MONARCH_TASKS
    verdict=$(awk ${STACK_VERDICT.text} </dev/null)
  else
    verdict="wait swarm did not answer: $(printf '%s' "$MONARCH_REPLICAS $MONARCH_STATES $MONARCH_TASKS" | tail -n 1)"
  fi
  case "$nl$verdict" in *"\${nl}wait "*|*"\${nl}fail "*) ;; *) exit 0 ;; esac
  now=$(date +%s)
  case "$nl$verdict" in
    *"\${nl}fail "*) status=${protocol/* EXIT */.dc.unhealthy} ;;
    *"\${nl}port "*)
      [ -n "$stuck_since" ] || stuck_since=$now
      [ $((now - stuck_since)) -lt ${PORT_STUCK_SECONDS} ] || status=port ;;
    *) stuck_since= ;;
  esac
  [ -z "$status" ] && [ "$now" -ge "$deadline" ] && status=${protocol/* EXIT */.dc.healthTimeout}
  [ -n "$status" ] && break
  sleep 1
done
{
  printf '%s\n' "$verdict" | awk '$1 == "port" { print $2 ": no node can take its new task: the old task holds its host-mode port, and a start-first update needs a node where it is free (update_config.order: stop-first, or one more node)" }'
  printf '%s\n' "$verdict" | awk '$1 == "fail" { s = $2; $1 = ""; $2 = ""; sub(/^  /, ""); print s ": " $0 }'
  printf '%s\n' "$verdict" | awk '$1 == "wait" { s = $2; $1 = ""; $2 = ""; sub(/^  /, ""); print s ": " $0 }'
  for s in $(printf '%s\n' "$verdict" | awk '$1 == "fail" || $1 == "port" || $1 == "wait" && $2 != "swarm" { print $2 }' | sort -u); do
    docker service ps --no-trunc --filter desired-state=shutdown --filter _up-to-date=true --format "$s: ended task {{.Name}} on {{.Node}}: {{.CurrentState}} {{.Error}}" "$s" 2>/dev/null | head -n 2
  done
  docker node ls --format '{{.Hostname}} {{.Status}} {{.Availability}}' 2>/dev/null | awk '$2 != "Ready" { print "node " $1 " is " $2 " (" $3 ")" }'
} >&2
[ "$status" = port ] && status=${protocol/* EXIT */.dc.unhealthy}
exit $status`;
}
/** The replies of `nameRolledBack` and `reportStack`. */
const CONVERGE_REPLIES = (0,protocol/* replyKeys */.x1)({
    rolledBack: 'rolled_back',
    replicas: 'replicas',
    image: 'image',
    task: 'task',
});
/** Prints `rolled_back=<name>` for each service given as an argument. */
function nameRolledBack() {
    return (0,script/* hostScript */.Q1)('monarch_name_rolled_back', (0,command.sh) `for name in "$@"; do echo "${CONVERGE_REPLIES.rolledBack}=$name"; done`);
}
/**
 * Prints, for the stack's services, `replicas=<name> <running>/<desired>`, `image=<name>
 * <image of its spec>` (a digest once `stack deploy` resolved it) and `task=<name> <node>`
 * for each task that runs: three docker calls.
 */
function reportStack(stack) {
    return (0,script/* hostScript */.Q1)('monarch_report_stack', (0,command.sh) `replicas=$(docker service ls --filter ${(0,host_scripts_layout/* stackFilter */.R)(stack)} --format '{{.Name}} {{.Replicas}}') || exit 1
[ -n "$replicas" ] || exit 0
printf '%s\n' "$replicas" | sed ${`s/^/${CONVERGE_REPLIES.replicas}=/`}
names=$(printf '%s\n' "$replicas" | cut -d' ' -f1)
docker service inspect --format ${`${CONVERGE_REPLIES.image}={{.Spec.Name}} {{.Spec.TaskTemplate.ContainerSpec.Image}}`} $names
docker service ps --filter desired-state=running --format ${`${CONVERGE_REPLIES.task}={{.Name}} {{.Node}} {{.CurrentState}}`} $names | awk '$3 == "Running" { print $1, $2 }'`);
}
/**
 * Removes, on the manager, the images of the stack's repositories that no container there uses
 * and that are not what the stack names now (both from `STACK_IMAGES` in the staging folder);
 * prints `removed=<count>`. Workers are not reached: each node's images are its own (README).
 */
function pruneStackImages(layout) {
    const images = `${layout.stagingDir}/${host_scripts_layout/* STACK_IMAGES */.k2}`;
    return (0,script/* hostScript */.Q1)('monarch_prune_stack_images', (0,command.sh) `all=$(docker ps -aq --no-trunc) || exit 1
repos=$(sed -e 's/@.*$//' -e 's/:[^:/]*$//' ${images} | sort -u)
keep=$( { [ -z "$all" ] || docker inspect -f '{{.Image}}' $all; while IFS= read -r ref; do docker image inspect -f '{{.ID}}' "$ref" 2>/dev/null; done <${images}; } | sort -u)
list=$(docker images --no-trunc --format '{{.Repository}} {{.ID}}') || exit 1
nl='
'
removed=0
while read -r repo id; do
  [ -n "$id" ] || continue
  case "$nl$repos$nl" in *"$nl$repo$nl"*) ;; *) continue ;; esac
  case "$nl$keep$nl" in *"$nl$id$nl"*) continue ;; esac
  docker rmi -f -- "$id" >/dev/null 2>&1 && removed=$((removed + 1))
done <<IMAGES
$list
IMAGES
echo "${prune/* PRUNE_REPLIES */.g.removed}=$removed"`);
}

;// CONCATENATED MODULE: ./src/host-scripts/stack-programs.ts











function fullNames(stack) {
    return stack.services.map((service) => `${stack.name}_${service}`);
}
/**
 * Waits for the marker, checks the host is a manager, creates app-dir, takes the swarm-wide
 * lease of the stack (see swarm-lease.ts), then holds the lock on app-dir as compose mode does;
 * gives the lease back when the lock is released (or could not be taken), with the lock's
 * exit code.
 */
function stackLockProgram(layout, wait, lock) {
    const hold = (0,prepare/* holdLock */.xH)(layout, lock.waitSeconds, lock.holder);
    const release = releaseLease(lock.stack, lock.token);
    return (0,script/* program */.DM)([
        ...(0,programs/* waitAndDetect */.QW)(wait, detectSwarm()),
        (0,script/* step */.PM)((0,prepare/* prepareAppDir */.Ai)(layout), { orExit: true }),
        (0,script/* step */.PM)((0,prepare/* removeStaleStaging */.zC)(layout)),
        (0,script/* step */.PM)(takeLease(lock), { orExit: true }),
        { script: hold, line: `${hold.name}; status=$?` },
        { script: release, line: `${release.name}; exit $status` },
    ]);
}
/**
 * Unpacks the release, keeps the running release's files, records the stack's services as
 * they run (`previous=yes` when there are any), and pulls its images on the manager.
 */
function stackPullProgram(target, stack, entries) {
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,receive/* receiveRelease */.d)(target.layout, entries), { orExit: true }),
        (0,script/* step */.PM)((0,release/* keepRelease */.LF)(target.layout, target.files, null), { orExit: true }),
        (0,script/* step */.PM)(snapshotStack(target.layout, stack.name), { orExit: true }),
        (0,script/* step */.PM)(pullStackImages(target.layout, stack.login)),
    ]);
}
/**
 * Installs the files, deploys the stack, waits until it converged, removes the services the
 * file dropped, reports, prunes the manager's old images, keeps the release, records it.
 */
function stackStartProgram(target, stack, options) {
    const { layout } = target;
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,release/* installRelease */.Rs)(layout, target.files), { orExit: true }),
        (0,script/* step */.PM)(deployStack(layout, stack.name, stack.login), { orExit: true }),
        options.healthSeconds > 0 &&
            (0,script/* step */.PM)(waitForStack(stack.name, options.healthSeconds, stack.startFirstHostPort), {
                args: fullNames(stack),
                orExit: true,
            }),
        options.prune && (0,script/* step */.PM)(pruneStackImages(layout)),
        (0,script/* step */.PM)((0,release/* commitRelease */.PF)(layout), { orExit: true }),
        // Only now: until the release is kept, a rollback must still find them.
        (0,script/* step */.PM)(removeDroppedServices(stack.name, stack.services)),
        (0,script/* step */.PM)(reportStack(stack.name)),
        (0,script/* step */.PM)((0,host_scripts_history/* recordHistory */.cJ)(layout, options.record)),
    ]);
}
/**
 * Puts the previous files back, rolls back the services this deploy changed (removing those it
 * created), waits for them, and records the rollback.
 */
function stackRollbackProgram(target, stack, healthSeconds, record) {
    const { layout } = target;
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,rollback/* restoreRelease */.E)(layout, target.files), { orExit: true }),
        (0,script/* step */.PM)(rollbackStack(layout, stack.name), { intoIds: true, orExit: true }),
        (0,script/* step */.PM)(waitForRollback(stack.name, healthSeconds), {
            withIds: true,
            orExit: true,
        }),
        (0,script/* step */.PM)(nameRolledBack(), { withIds: true }),
        (0,script/* step */.PM)((0,programs/* removeFolder */.v$)(layout.stagingDir)),
        (0,script/* step */.PM)(reportStack(stack.name)),
        (0,script/* step */.PM)((0,host_scripts_history/* recordHistory */.cJ)(layout, record)),
    ]);
}
/** Records a failed deploy that was not rolled back, and removes its staging folder. */
function stackRecordFailureProgram(target, stack, record) {
    return (0,script/* program */.DM)([
        (0,script/* step */.PM)((0,programs/* removeFolder */.v$)(target.layout.stagingDir)),
        (0,script/* step */.PM)(reportStack(stack.name)),
        (0,script/* step */.PM)((0,host_scripts_history/* recordHistory */.cJ)(target.layout, record)),
    ]);
}
/** The dry run's one command on a manager: marker, swarm, then its checks (see `dryRunChecks`). */
function stackDryRunProgram(layout, wait, stack, server) {
    return (0,script/* program */.DM)([
        ...(0,programs/* waitAndDetect */.QW)(wait, detectSwarm()),
        (0,script/* step */.PM)((0,dry_run/* dryRunChecks */.aF)(layout, (0,dry_run/* stackCheck */.fL)(stack), server)),
    ]);
}

;// CONCATENATED MODULE: ./src/deploy/failover.ts
/** Connection attempts on a manager that is not the last one: then the next one is tried. */
const FAILOVER_CONNECT_MS = 30_000;
/**
 * Deploys through the first manager that takes the deploy; `deployOne` is told whether the
 * manager is the last (its connection attempts may then use all of `setup-timeout`). Returns
 * that manager's result, or, when none took it, every manager's.
 */
async function deployThroughManagers(managers, deployOne, warn) {
    const passedOver = [];
    for (const [index, host] of managers.entries()) {
        const next = managers[index + 1];
        const result = await deployOne(host, next === undefined);
        if (result.status === 'success' || !result.untouched || next === undefined) {
            return result.status === 'success' ? [result] : [...passedOver, result];
        }
        warn(`manager ${host} did not take the deploy (${result.error ?? 'no reason given'}); trying ${next}`);
        passedOver.push(result);
    }
    return passedOver;
}

;// CONCATENATED MODULE: ./src/deploy/stack-report.ts
/** What the manager reports of a stack (see `reportStack`), as the report types hold it. */


/**
 * The services of the `replicas=`, `image=` and `task=` replies in `stdout`, by name. What runs is counted
 * from the tasks that should run and do: `service ls` also counts a task Swarm has given up on,
 * on a node that is down, which still reads `Running` (`3/2`).
 */
function stackServicesOf(stdout) {
    const replies = (0,protocol/* readReplies */.Bd)(stdout, CONVERGE_REPLIES);
    const images = new Map(replies.all(CONVERGE_REPLIES.image).map((line) => splitFirst(line)));
    const tasks = new Map();
    for (const line of replies.all(CONVERGE_REPLIES.task)) {
        const [task, node] = splitFirst(line);
        const service = task.replace(/\.[^.]*$/, '');
        tasks.set(service, [...(tasks.get(service) ?? []), node]);
    }
    return replies.all(CONVERGE_REPLIES.replicas).map((line) => {
        const [name, counts] = splitFirst(line);
        const desired = Number(counts.split(' ')[0].split('/')[1]) || 0;
        const [image = '', digest = ''] = (images.get(name) ?? '').split('@');
        const nodes = tasks.get(name) ?? [];
        return {
            name,
            running: nodes.length,
            desired,
            image,
            digest,
            nodes: [...new Set(nodes)].sort(),
        };
    });
}
/** The services as the image list of a host's result (one entry per service). */
function stackImages(services) {
    return services.map((service) => ({
        service: service.name,
        image: service.image,
        id: '',
        digest: service.digest ? `${service.image.replace(/:[^:/]*$/, '')}@${service.digest}` : '',
    }));
}
function splitFirst(line) {
    const at = line.indexOf(' ');
    return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
}
/** Logs which services the deploy created, updated and removed, and any image not pinned. */
function logStackOutcome(outcome, log) {
    const changes = outcome.stackChanges;
    if (changes) {
        const list = (names) => names.join(', ') || 'none';
        log.info(`services created: ${list(changes.created)}; updated: ${list(changes.updated)}; removed (no longer in the file): ${list(changes.removed)}`);
    }
    for (const service of outcome.stack?.services ?? []) {
        // docker stack deploy pins the digest only when its login could read the registry.
        if (!service.digest) {
            log.warning(`${service.name}: its image ${service.image} was not resolved to a digest in the registry (did the login reach docker stack deploy?): each node pulls the tag itself, and may get another image`);
        }
    }
}

;// CONCATENATED MODULE: ./src/deploy/swarm-mode.ts
/**
 * Swarm mode: the compose file, rendered on the runner into a stack file, is deployed once
 * with `docker stack deploy` through the first manager of `host` that takes it.
 */













/** Swarm mode for `inputs`, whose `stack` is `plan`. */
function swarmMode(inputs, plan) {
    const name = plan.name;
    const limits = (0,deadlines/* stepLimits */.Bz)(inputs, (0,deadlines/* stackRollbackWaitMs */.Q2)(inputs));
    const staleSeconds = (0,deadlines/* staleLeaseSeconds */.Zy)(inputs, limits);
    return {
        programs: (target, token) => stackPrograms(inputs, plan, target, { token, staleSeconds }),
        releaseEntries: stackEntries(plan),
        words: {
            tool: () => `swarm manager, stack ${name}`,
            startTitle: `Deploying the stack ${name}, waiting until it converged`,
            startLabel: 'Deploying the stack',
            firstDeploy: `first deploy of the stack ${name}: there is no previous release to roll back to`,
            noDocker: (host, user) => `${host} has no docker on the PATH of '${user}' (or its daemon does not answer)`,
            upFailed: `docker stack deploy of ${name}`,
            healthTimeout: (timeout, output) => `the stack ${name} did not converge within ${timeout}: ${(0,remote_text/* firstLines */.UV)(output || `exit code ${protocol/* EXIT */.dc.healthTimeout}`, 12)}`,
            unhealthy: (detail) => `the update of the stack ${name} failed: ${(0,remote_text/* firstLines */.UV)(detail, 12)}`,
        },
        locks: 2,
        // A stack's rollback also waits for the services it put back.
        limits,
        rollbackError: (_code, stderr) => new DeployStepError(`the services put back did not converge: ${(0,remote_text/* firstLines */.UV)(stderr, 12)}`),
        lockedError: (host, stdout, gaveUpAfter) => (0,protocol/* readReplies */.Bd)(stdout, LEASE_REPLIES).get(LEASE_REPLIES.lease) === 'swarm'
            ? `another deploy holds the swarm's lock of the stack ${name} (${holders(stdout)}); gave up after ${gaveUpAfter}`
            : `another deploy holds the lock on ${host} (${holders(stdout)}); gave up after ${gaveUpAfter}`,
        report: (stdout) => stackReport(name, stdout),
        logOutcome: logStackOutcome,
        dryRunPlan: (stdout) => ({ stack: stackPlan(plan, stdout) }),
        dryRunLines: (report) => {
            const { create = [], update = [], remove = [] } = report.stack ?? {};
            return [
                `the stack file of ${name} was rendered on the runner with the values of 'env'`,
                `services a deploy would create: ${create.join(', ') || 'none'}`,
                `services a deploy would update: ${update.join(', ') || 'none'}`,
                `services a deploy would remove (once it converged): ${remove.join(', ') || 'none'}`,
            ];
        },
        deployHosts: (hosts, deployOne, warn) => deployThroughManagers(hosts, (host, last) => deployOne(host, {
            buffered: false,
            ...(last ? {} : { connectBudgetMs: FAILOVER_CONNECT_MS, failover: true }),
        }), warn),
    };
}
function stackPrograms(inputs, plan, target, lease) {
    const server = inputs.registry?.server ?? null;
    const stack = stackTarget(plan, server ? { server, keep: !inputs.registryLogout } : null);
    const { layout } = target;
    const rollbackSeconds = Math.ceil((0,deadlines/* stackRollbackWaitMs */.Q2)(inputs) / 1000);
    return {
        lock: (wait, seconds, holder) => stackLockProgram(layout, wait, {
            stack: stack.name,
            waitSeconds: seconds,
            staleSeconds: lease.staleSeconds,
            holder,
            token: lease.token,
        }),
        pull: (entries) => stackPullProgram(target, stack, entries),
        start: (options) => stackStartProgram(target, stack, options),
        rollback: (record) => stackRollbackProgram(target, stack, rollbackSeconds, record),
        recordFailure: (record) => stackRecordFailureProgram(target, stack, record),
        dryRun: (wait) => stackDryRunProgram(layout, wait, stack.name, server),
    };
}
function stackTarget(plan, login) {
    return {
        name: plan.name,
        services: plan.services.map((service) => service.name),
        startFirstHostPort: plan.services
            .filter((service) => service.updateOrder === 'start-first' && service.hostModePorts.length)
            .map((service) => `${plan.name}_${service.name}`),
        login,
    };
}
/** The stack file and its images' list (both may hold `env` values: mode 0600). */
function stackEntries(stack) {
    const images = [...new Set(stack.services.map((service) => service.image))];
    return [
        { name: host_scripts_layout/* STACK_FILE */.WJ, mode: 0o600, content: stack.file },
        { name: host_scripts_layout/* STACK_IMAGES */.k2, mode: 0o600, content: Buffer.from(`${images.join('\n')}\n`) },
    ];
}
/** The stack's services (`stackServicesOf`) and what the deploy or rollback did to them. */
function stackReport(name, stdout) {
    const services = stackServicesOf(stdout);
    const replies = (0,protocol/* readReplies */.Bd)(stdout, CONVERGE_REPLIES, STACK_REPLIES);
    return {
        images: stackImages(services),
        stack: { name, services },
        rolledBackServices: replies.all(CONVERGE_REPLIES.rolledBack),
        stackChanges: {
            created: replies.all(STACK_REPLIES.created),
            updated: replies.all(STACK_REPLIES.updated),
            removed: replies.all(STACK_REPLIES.prunedService),
        },
    };
}
/** Which services a deploy of `stack` would create, update and remove. */
function stackPlan(stack, stdout) {
    const running = (0,protocol/* readReplies */.Bd)(stdout, dry_run/* DRY_RUN_REPLIES */.lj).all(dry_run/* DRY_RUN_REPLIES */.lj.stackService);
    const wanted = stack.services.map((service) => `${stack.name}_${service.name}`);
    return {
        create: wanted.filter((name) => !running.includes(name)),
        update: wanted.filter((name) => running.includes(name)),
        remove: running.filter((name) => !wanted.includes(name)),
    };
}

;// CONCATENATED MODULE: ./src/deploy/modes.ts


/** The mode `inputs` ask for: `mode: swarm` (a stack plan), or compose. */
function modeOf(inputs) {
    return inputs.stack ? swarmMode(inputs, inputs.stack) : composeMode(inputs);
}

;// CONCATENATED MODULE: ./src/deploy/pull.ts
/**
 * Uploading the release, keeping the running one and pulling the new images: nothing in the
 * app directory changes here, so if this fails or the connection drops, the host runs, and has
 * on disk, what it had.
 */





/** The log title of the pull step. */
function pullTitle(session) {
    const registry = session.inputs.registry;
    const login = registry ? `, logging in to ${registry.server}` : '';
    return `Uploading the release${login}, pulling images`;
}
/**
 * Runs `pullProgram` once `ready` resolves (its channel opens now: see `ExecOptions.after`),
 * the release's archive on its standard input.
 */
async function pullRelease(session, ready = Promise.resolve()) {
    const { inputs } = session;
    const registry = inputs.registry;
    const { entries, archive } = releaseArchive(session);
    const script = programsOf(session).pull(entries);
    const result = await session.host.exec(script, {
        label: pullTitle(session),
        stdin: archive,
        timeoutMs: session.mode.limits.pull,
        after: ready,
    });
    if (result.code === protocol/* EXIT */.dc.uploadFailed) {
        throw new DeployStepError(`the release could not be written into ${session.layout.stagingDir}: ${(0,remote_text/* lastLines */.w$)(result.stderr, 2) || 'no reason given'}`);
    }
    if (result.code === protocol/* EXIT */.dc.unsafePath) {
        throw new UnsafeHostError(session.host.name, result.stdout);
    }
    if (result.code === protocol/* EXIT */.dc.loginFailed && registry) {
        throw new DeployStepError(`registry login to ${registry.server} failed: ${(0,remote_text/* lastLines */.w$)(result.stderr, 2) || 'no reason given'}`);
    }
    if (result.code !== 0) {
        throw new DeployStepError(`pulling the images failed; the running version was left as it was: ${(0,remote_text/* lastLines */.w$)(result.stderr, 3) || `exit code ${result.code}`}`);
    }
    const replies = (0,protocol/* readReplies */.Bd)(result.stdout, release/* KEEP_REPLIES */.J$);
    return { hasPrevious: replies.get(release/* KEEP_REPLIES */.J$.previous) === 'yes' };
}

;// CONCATENATED MODULE: ./src/deploy/history-entries.ts
/**
 * The deploy history's lines as the host printed them (`history=<json>`), read back. The
 * history file is the host's: anything on it can write any JSON there, so each entry is
 * checked field by field and every text made one sane line before it reaches the report.
 */



/** The longest text kept of one field (a run URL is the longest the action writes). */
const FIELD_LIMIT = 300;
/** The `history=` replies in `stdout`, oldest first; a line that is not an entry is left out. */
function historyOf(stdout) {
    const replies = (0,protocol/* readReplies */.Bd)(stdout, host_scripts_history/* HISTORY_REPLIES */.q4);
    return replies.all(host_scripts_history/* HISTORY_REPLIES */.q4.history).flatMap((line) => {
        let value;
        try {
            value = JSON.parse(line);
        }
        catch {
            return [];
        }
        const entry = historyEntry(value);
        return entry ? [entry] : [];
    });
}
/** `value` as a history entry: its texts on one line and cut, its result one of the two. */
function historyEntry(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        return undefined;
    const record = value;
    const result = record.result;
    if (result !== 'success' && result !== 'failure')
        return undefined;
    const textOf = (name) => {
        const field = record[name];
        const text = typeof field === 'string' || typeof field === 'number' ? String(field) : '';
        return (0,remote_text/* oneLine */.TN)(text).slice(0, FIELD_LIMIT);
    };
    return {
        time: textOf('time'),
        commit: textOf('commit'),
        actor: textOf('actor'),
        result,
        rolledBack: record.rolledBack === true,
        run: textOf('run'),
    };
}

;// CONCATENATED MODULE: ./src/deploy/start.ts







function record(session, result, rolledBack) {
    const { identity } = session;
    return {
        commit: identity.commit,
        actor: identity.actor,
        result,
        rolledBack,
        run: identity.runUrl,
    };
}
/**
 * Moves the staged files into place, runs `up -d`, waits for health, then reports the images,
 * prunes and records the deploy (see `startProgram`); starts once `ready` resolves.
 */
async function startRelease(session, ready = Promise.resolve()) {
    const { inputs } = session;
    const script = programsOf(session).start({
        healthSeconds: Math.ceil(inputs.healthTimeoutMs / 1000),
        prune: inputs.prune,
        record: record(session, 'success', false),
    });
    const result = await session.host.exec(script, {
        label: session.mode.words.startLabel,
        timeoutMs: session.mode.limits.start,
        after: ready,
    });
    if (result.code === 0)
        return stepReport(session, result.stdout);
    throw startFailure(session, result.code, result.stdout, result.stderr);
}
function startFailure(session, code, stdout, stderr) {
    const detail = stderr.trim() || `exit code ${code}`;
    const timeout = `'health-timeout' (${Math.round(session.inputs.healthTimeoutMs / 1000)} s)`;
    const { words } = session.mode;
    switch (code) {
        case protocol/* EXIT */.dc.unsafePath:
            return new UnsafeHostError(session.host.name, stdout);
        case protocol/* EXIT */.dc.upFailed:
            return new DeployStepError(`${words.upFailed} failed: ${(0,remote_text/* lastLines */.w$)(detail, 3)}`);
        case protocol/* EXIT */.dc.healthTimeout:
            return new DeployStepError(words.healthTimeout(timeout, stderr.trim()));
        case protocol/* EXIT */.dc.unhealthy:
            return new DeployStepError(words.unhealthy(detail));
        default:
            return new remote_host/* RemoteCommandError */.at(words.startLabel, code, stderr);
    }
}
/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers; records it.
 */
async function rollBack(session) {
    const { mode } = session;
    const result = await session.host.exec(programsOf(session).rollback(record(session, 'failure', true)), {
        label: 'Rolling back',
        timeoutMs: mode.limits.rollback,
    });
    if (result.code === protocol/* EXIT */.dc.unsafePath)
        throw new UnsafeHostError(session.host.name, result.stdout);
    if (result.code === protocol/* EXIT */.dc.unhealthy || result.code === protocol/* EXIT */.dc.healthTimeout) {
        const stderr = result.stderr.trim() || `exit code ${result.code}`;
        const error = mode.rollbackError(result.code, stderr);
        if (error)
            throw error;
    }
    if (result.code !== 0)
        throw new remote_host/* RemoteCommandError */.at('Rolling back', result.code, result.stderr);
    return stepReport(session, result.stdout);
}
/** Records a failed deploy that was not rolled back, and removes its staging directory. */
async function recordFailure(session) {
    const result = await session.host.exec(programsOf(session).recordFailure(record(session, 'failure', false)), {
        label: 'Recording the failure',
        timeoutMs: session.mode.limits.recordFailure,
    });
    return stepReport(session, result.stdout);
}
/**
 * Reads the `container=`, `digest=`, `history=` and `removed=` replies, then the mode's own
 * (a stack's services, and what its deploy or rollback did to them).
 */
function stepReport(session, stdout) {
    const replies = (0,protocol/* readReplies */.Bd)(stdout, release/* IMAGE_REPLIES */.Xf, prune/* PRUNE_REPLIES */.g);
    const digests = replies.all(release/* IMAGE_REPLIES */.Xf.digest);
    return {
        images: replies.all(release/* IMAGE_REPLIES */.Xf.container).map((line) => {
            const [service = '', image = '', id = ''] = line.split(' ');
            const digest = digests.find((entry) => entry.startsWith(`${id} `));
            return { service, image, id, digest: digest?.split(' ')[1] ?? '' };
        }),
        history: historyOf(stdout),
        removedImages: replies.number(prune/* PRUNE_REPLIES */.g.removed),
        ...session.mode.report(stdout),
    };
}

;// CONCATENATED MODULE: ./src/deploy/step-report.ts
/** A report of nothing (before any step ran). */
const EMPTY_REPORT = { images: [], history: [], removedImages: 0 };
/** A host's result as its last step reported it, for a deploy that began at `startedMs`. */
function hostResult(host, status, outcome, startedMs) {
    return {
        host,
        status,
        rolledBack: false,
        images: outcome.images,
        history: outcome.history,
        durationMs: Date.now() - startedMs,
        ...(outcome.stack ? { stack: outcome.stack } : {}),
        ...(outcome.rolledBackServices ? { rolledBackServices: outcome.rolledBackServices } : {}),
        ...(outcome.rollouts ? { rollouts: outcome.rollouts } : {}),
    };
}

;// CONCATENATED MODULE: ./src/deploy/deploy-host.ts












/** Deploys to one host; never throws: failures are in the result. */
function deployHost(hostName, inputs, deps) {
    return new HostDeploy(hostName, inputs, deps).run();
}
/** One host's deploy in progress: which step it is at and what it holds. */
class HostDeploy {
    hostName;
    inputs;
    deps;
    started = Date.now();
    deadline;
    step = 'Connecting';
    phase = 'unchanged';
    session;
    releaseLock;
    stagingGone = false;
    outcome = EMPTY_REPORT;
    constructor(hostName, inputs, deps) {
        this.hostName = hostName;
        this.inputs = inputs;
        this.deps = deps;
        this.deadline = this.started + inputs.setupTimeoutMs;
    }
    async run() {
        try {
            const mode = this.deps.mode ?? modeOf(this.inputs);
            const session = openSession(await this.connect(), this.inputs, this.deps.identity, mode);
            this.session = session;
            if (this.inputs.dryRun) {
                const dryRun = await dryRunSteps(session, this.deadline, this.group, this.deps.log);
                this.stagingGone = true;
                return this.result('success', { dryRun });
            }
            return await this.deploy(session);
        }
        catch (error) {
            await this.recordFailure(error);
            return this.failure(error);
        }
        finally {
            // The host that runs the release command and never got to it keeps no other host waiting.
            const gate = this.deps.releaseGate;
            if (gate?.host === this.hostName)
                gate.close(new DeployStepError(`${this.hostName} failed at ${this.step}`));
            await this.cleanUp();
        }
    }
    /** Runs `body` as the named step: a group in the log, and the step a failure names. */
    group = (name, body) => {
        this.step = name;
        return this.deps.log.group(name, body);
    };
    connect() {
        const { inputs, deps, hostName } = this;
        return this.group(`Connecting to ${hostName}:${inputs.port} as ${inputs.username}`, async () => {
            const budget = deps.connectBudgetMs;
            const connected = await deps.connect(hostName, {
                deadline: budget === undefined ? this.deadline : Math.min(this.deadline, Date.now() + budget),
                baseDelayMs: 1_000,
                maxDelayMs: 10_000,
                ...deps.retryDelays,
            });
            if (connected.insecure) {
                deps.log.warning(`host key ${connected.fingerprint} accepted WITHOUT verification ('insecure-ignore-host-key'); ` +
                    `pin it with host-fingerprint: ${connected.fingerprint}`);
            }
            else
                deps.log.info(`host key verified: ${connected.fingerprint ?? ''}`);
            return connected;
        });
    }
    async deploy(session) {
        // The three commands of a deploy open their channels at once, side by side: the pull's
        // (which also uploads the release) waits on the host for its `go` line until the lock is
        // held, the start's until the pull is done (see `ExecOptions.after`): no step waits for a
        // channel to open. If a step fails, the ones after it are told not to start.
        this.deps.onLeftovers?.(this.hostName, session.layout.stagingDir);
        // With a release command, the start waits for it too (`release.ready`).
        const locked = this.lock(session);
        const pulling = pullRelease(session, locked);
        const release = releaseSteps(this.hostName, session, this.deps, pulling, this.group);
        const starting = startRelease(session, release?.ready ?? pulling);
        pulling.catch(() => { });
        starting.catch(() => { });
        await locked;
        const pulled = await this.group(pullTitle(session), async () => {
            const keys = this.inputs.env.map((v) => v.key).join(', ') || '(none)';
            this.deps.log.info(`.env: ${this.inputs.env.length} variable(s), mode 0600: ${keys}`);
            return pulling;
        });
        await release?.step();
        return this.start(session, pulled, starting);
    }
    lock(session) {
        const { inputs, deps } = this;
        const title = inputs.setupMarker
            ? `Waiting for ${inputs.setupMarker}, locking ${inputs.appDir}`
            : `Locking ${inputs.appDir}`;
        return this.group(title, async () => {
            const lock = await lockHost(session, Math.max(0, this.deadline - Date.now()), (0,deadlines/* holdBudget */.NM)(inputs, session.mode.limits));
            this.releaseLock = lock.lock.release;
            if (inputs.setupMarker)
                deps.log.info(`${inputs.setupMarker} present (waited ${lock.waitedSeconds} s)`);
            if (lock.lockWaitedSeconds > 0) {
                deps.log.info(`waited ${lock.lockWaitedSeconds} s for another deploy's lock`);
            }
            const tool = session.mode.words.tool(lock.composeCommand);
            deps.log.info(`${inputs.appDir} locked for this deploy; user ${lock.user}; ${tool}`);
        });
    }
    async start(session, pulled, starting) {
        try {
            // The start's `go` went with the pull's end: from here, what runs may change.
            this.phase = 'starting';
            this.outcome = await this.group(session.mode.words.startTitle, () => starting);
            this.stagingGone = true;
        }
        catch (error) {
            // An unsafe app-dir stops the start before anything changed: nothing to roll back. Nor
            // over a host out of reach, whose start may still be going on.
            if (error instanceof UnsafeHostError || isOutOfReach(error))
                throw error;
            const failedStep = this.step;
            const rolledBack = await this.rollBackAfter(session, pulled.hasPrevious, error);
            this.step = failedStep;
            if (rolledBack)
                return this.failure(error, { rolledBack: true });
            throw error;
        }
        session.mode.logOutcome(this.outcome, this.deps.log);
        if (this.inputs.prune)
            this.deps.log.info(`pruned ${this.outcome.removedImages} unused image(s)`);
        return this.result('success');
    }
    async rollBackAfter(session, hasPrevious, error) {
        const { log } = this.deps;
        if (!this.inputs.rollback) {
            log.warning(`'rollback' is false: the failed release stays in place`);
            return false;
        }
        if (!hasPrevious) {
            log.warning(session.mode.words.firstDeploy);
            return false;
        }
        return log.group('Rolling back', async () => {
            this.phase = 'rollingBack';
            log.info(`rolling back after: ${messageOf(error).split('\n')[0]}`);
            try {
                this.outcome = await rollBack(session);
                this.stagingGone = true;
                const services = this.outcome.rolledBackServices;
                if (services) {
                    log.info(`rolled back to their previous spec: ${services.join(', ') || 'none changed'}`);
                }
                log.info('the previous release is running again');
                return true;
            }
            catch (rollbackError) {
                log.error(`rollback failed: ${this.messageOf(rollbackError)}`);
                return false;
            }
        });
    }
    /** After a failure while locked, records it in the history (and removes the staging folder). */
    async recordFailure(error) {
        if (!this.session || !this.releaseLock || isOutOfReach(error))
            return;
        try {
            this.outcome = await recordFailure(this.session);
            this.stagingGone = true;
        }
        catch (recordError) {
            this.deps.log.debug(`could not record the failure: ${String(recordError)}`);
        }
    }
    async cleanUp() {
        const { session } = this;
        if (session && !this.stagingGone)
            this.stagingGone = await removeStaging(session, this.deps.log);
        if (this.stagingGone)
            this.deps.onLeftovers?.(this.hostName, null);
        this.releaseLock?.();
        session?.host.close();
    }
    result(status, extra = {}) {
        return { ...hostResult(this.hostName, status, this.outcome, this.started), ...extra };
    }
    /** What a failure says: for a host out of reach, also what it may be running now. */
    messageOf(error) {
        return isOutOfReach(error) ? outOfReachMessage(error, this.phase) : messageOf(error);
    }
    failure(error, extra = {}) {
        const message = this.messageOf(error);
        const untouched = error instanceof retry/* SshConnectError */.zN || error instanceof NotManagerError;
        if (untouched && this.deps.failover)
            this.deps.log.info(`${this.step}: ${message}`);
        else
            this.deps.log.error(`${this.step}: ${message}`);
        if (error instanceof Error && error.stack)
            this.deps.log.debug(error.stack);
        return this.result('failure', {
            failedStep: this.step,
            error: message,
            ...(untouched ? { untouched } : {}),
            ...(error instanceof ReleaseCommandError ? { releaseCommandFailed: true } : {}),
            ...extra,
        });
    }
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

;// CONCATENATED MODULE: ./src/deploy/host-log.ts
/**
 * The log of one host's deploy. With one host (or one at a time) it streams, a group per step;
 * with several hosts in parallel, each step's lines are held back and printed as one group when
 * the step ends, so groups of different hosts never interleave. Every line names its host.
 * Messages may quote what a host printed: they are printed as text, never as workflow commands.
 */


/** Streams to the log as things happen. */
function streamingLog(host) {
    return {
        group: (name, body) => core/* group */.Os(`${host}: ${name}`, body),
        info: (message) => (0,remote_text/* printUntrusted */.Qi)(message, core/* info */.pq),
        warning: (message) => core/* warning */.$e(`${host}: ${message}`),
        error: (message) => core/* error */.z3(`${host}: ${message}`),
        debug: (message) => core/* debug */.Yz(`${host}: ${message}`),
    };
}
/** Holds each step's lines and prints the step as one group when it ends. */
function bufferedLog(host) {
    let lines = null;
    const line = (message) => {
        const text = message
            .split('\n')
            .map((part) => `[${host}] ${part}`)
            .join('\n');
        if (lines)
            lines.push(text);
        else
            (0,remote_text/* printUntrusted */.Qi)(text, core/* info */.pq);
    };
    return {
        async group(name, body) {
            lines = [];
            const started = Date.now();
            try {
                return await body();
            }
            finally {
                const held = lines;
                lines = null;
                core/* startGroup */.Oh(`${host}: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
                for (const text of held)
                    (0,remote_text/* printUntrusted */.Qi)(text, core/* info */.pq);
                core/* endGroup */.N4();
            }
        },
        info: line,
        warning: (message) => core/* warning */.$e(`${host}: ${message}`),
        error: (message) => core/* error */.z3(`${host}: ${message}`),
        debug: (message) => core/* debug */.Yz(`${host}: ${message}`),
    };
}

;// CONCATENATED MODULE: ./src/deploy/deploy-all.ts
/** The deploy of every host of a run: what the main step loads once its inputs are good. */








/**
 * Deploys to every host as the run's mode goes through them (a fleet as `strategy` says, or a
 * swarm's managers in order); the post step is told what each may still hold.
 */
async function deployAll(inputs, context) {
    const mode = modeOf(inputs);
    const leftovers = new state/* LeftoverTracker */.iL(inputs.hosts);
    const jump = inputs.jumpHost ? (0,jump_tunnel/* jumpTunnel */.Z)(inputs.jumpHost, inputs.setupTimeoutMs) : undefined;
    // The release command runs on the first host, which every mode deploys first.
    const gate = inputs.releaseCommand && !inputs.dryRun ? releaseGate(inputs.hosts[0]) : undefined;
    const deployOne = (host, options) => {
        const log = options.buffered ? bufferedLog(host) : streamingLog(host);
        return deployHost(host, inputs, {
            connect: sshConnector(inputs, log, jump?.open),
            log,
            identity: identityOf(context),
            onLeftovers: (name, stagingDir) => leftovers.set(name, stagingDir),
            connectBudgetMs: options.connectBudgetMs,
            failover: options.failover,
            mode,
            releaseGate: gate,
        });
    };
    try {
        return await mode.deployHosts(inputs.hosts, deployOne, (message) => core/* warning */.$e(message));
    }
    finally {
        jump?.close();
    }
}
function identityOf(context) {
    const random = Math.random().toString(36).slice(2, 8);
    const run = [process.env.GITHUB_RUN_ID, process.env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('-');
    return {
        runId: `${run || 'local'}-${random}`.replace(/[^A-Za-z0-9-]/g, ''),
        actor: context.actor,
        commit: context.sha,
        runUrl: context.runUrl,
    };
}


/***/ })

};
