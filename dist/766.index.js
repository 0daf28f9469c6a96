"use strict";
exports.id = 766;
exports.ids = [766];
exports.modules = {

/***/ 5766:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployAll: () => (/* binding */ deployAll)
});

// EXTERNAL MODULE: ./src/state.ts
var state = __webpack_require__(2462);
// EXTERNAL MODULE: ./src/remote/jump-tunnel.ts
var jump_tunnel = __webpack_require__(3347);
// EXTERNAL MODULE: ./src/remote/ssh-connect.ts + 3 modules
var ssh_connect = __webpack_require__(423);
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

// EXTERNAL MODULE: ./src/remote/host.ts
var remote_host = __webpack_require__(5990);
// EXTERNAL MODULE: ./src/host-scripts/programs.ts + 7 modules
var programs = __webpack_require__(7090);
// EXTERNAL MODULE: ./src/host-scripts/protocol.ts
var protocol = __webpack_require__(4175);
// EXTERNAL MODULE: ./src/remote-text.ts
var remote_text = __webpack_require__(8217);
// EXTERNAL MODULE: ./src/env/parse.ts + 2 modules
var parse = __webpack_require__(3392);
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

// EXTERNAL MODULE: external "node:path/posix"
var posix_ = __webpack_require__(3916);
var posix_default = /*#__PURE__*/__webpack_require__.n(posix_);
// EXTERNAL MODULE: ./src/host-scripts/layout.ts
var layout = __webpack_require__(4201);
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
 * goes, a foreign owner): the step stopped before it changed anything.
 */
class UnsafeHostError extends DeployStepError {
    constructor(host, what) {
        super(`${host}: ${what ?? 'app-dir is not safe to deploy into'}; nothing was changed. ` +
            "Remove it, or fix app-dir's owner and mode, and deploy again");
        this.name = 'UnsafeHostError';
    }
}
/** Starts a session on a connected host. */
function openSession(host, inputs, identity) {
    return {
        host,
        inputs,
        identity,
        layout: (0,layout/* layoutOf */.a)(inputs.appDir, identity.runId),
    };
}
/** Compose's default project name for the app directory (its base name, as compose derives it). */
function projectName(appDir) {
    return (posix_default().basename(appDir)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '') || 'default');
}
/** Names the release files (relative to the app directory) that a deploy replaces. */
function releaseFiles(inputs) {
    return ['docker-compose.yml', '.env', ...inputs.files.map((file) => file.remoteName)];
}
/** What the host programs need to know about this session's release. */
function releaseTarget(session) {
    return {
        layout: session.layout,
        files: releaseFiles(session.inputs),
        project: projectName(session.inputs.appDir),
    };
}

;// CONCATENATED MODULE: ./src/deploy/lock.ts
/** The first remote command of a deploy: wait for the droplet, create app-dir, take the lock. */




/**
 * One long-lived remote command (see `lockProgram`): waits for the setup marker, creates the
 * app directory, finds the compose command, and takes the deploy lock, holding it until
 * `lock.release()` or the connection drops (then the host's kernel releases it).
 */
async function lockHost(session, markerBudgetMs, holdMs) {
    const { inputs, layout, identity } = session;
    const holder = `${identity.actor || 'someone'} (${identity.runUrl || 'a run without a URL'}) since`;
    const script = (0,programs/* lockProgram */.Wj)(layout, { marker: inputs.setupMarker, seconds: Math.floor(markerBudgetMs / 1000) }, Math.ceil(inputs.lockTimeoutMs / 1000), holder);
    const outcome = await session.host.hold(script, {
        label: 'Waiting for the droplet',
        timeoutMs: markerBudgetMs + inputs.lockTimeoutMs + holdMs,
        readyLine: protocol/* READY_LINE */.je,
    });
    if (!outcome.ready)
        throw hostNotReady(session, outcome.result);
    const replies = new protocol/* Replies */.rI(outcome.held.stdout);
    return {
        lock: outcome.held,
        waitedSeconds: replies.number('waited'),
        lockWaitedSeconds: replies.number('lock_waited'),
        composeCommand: replies.get('compose') ?? '',
        user: replies.get('user') ?? '',
    };
}
/** Why the host was not ready: the marker, app-dir, docker, flock or the lock. */
function hostNotReady(session, result) {
    const { inputs, layout, host } = session;
    const replies = new protocol/* Replies */.rI(result.stdout);
    const user = replies.get('user') ?? inputs.username;
    switch (result.code) {
        case protocol/* EXIT */.dc.unsafePath:
            return new UnsafeHostError(host.name, replies.get('unsafe'));
        case protocol/* EXIT */.dc.markerTimeout:
            return new DeployStepError(`the setup marker ${inputs.setupMarker} did not appear on ${host.name} within ` +
                `'setup-timeout' (${Math.round(inputs.setupTimeoutMs / 1000)} s): has cloud-init finished?`);
        case protocol/* EXIT */.dc.notWritable:
            return new DeployStepError(`user '${user}' cannot create or write ${layout.appDir} on ${host.name}: create it for that ` +
                `user first (for example in cloud-init: mkdir -p ${layout.appDir} && chown ${user} ${layout.appDir})`);
        case protocol/* EXIT */.dc.noDocker:
            return new DeployStepError(`${host.name} has no docker with compose ('docker compose' or 'docker-compose') on the PATH of '${user}'`);
        case protocol/* EXIT */.dc.noFlock:
            return new DeployStepError(`${host.name} has no 'flock' (util-linux or busybox), needed for the deploy lock`);
        case protocol/* EXIT */.dc.locked:
            return new DeployStepError(`another deploy holds the lock on ${host.name} (${replies.all('holder').join(' ').trim() || 'holder unknown'}); gave up after ` +
                `'lock-timeout' (${Math.round(inputs.lockTimeoutMs / 1000)} s)`);
        default:
            return new remote_host/* RemoteCommandError */.at('Preparing the droplet', result.code, result.stderr);
    }
}

// EXTERNAL MODULE: ./src/env/render.ts
var render = __webpack_require__(5691);
// EXTERNAL MODULE: ./src/host-scripts/release.ts
var release = __webpack_require__(1086);
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
        { name: '.env', mode: 0o600, content: Buffer.from((0,render/* renderEnvFile */.mJ)(inputs.env)) },
        ...(inputs.registry
            ? [
                { name: release/* DOCKER_CONFIG_DIR */.KO, mode: 0o700 },
                {
                    name: `${release/* DOCKER_CONFIG_DIR */.KO}/config.json`,
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
    const { host, inputs, layout } = session;
    const outcome = await host.hold((0,programs/* dryRunProgram */.NM)(layout, { marker: inputs.setupMarker, seconds: Math.floor(markerBudgetMs / 1000) }, projectName(inputs.appDir), inputs.registry?.server ?? null), {
        label: 'Checking the droplet',
        timeoutMs: markerBudgetMs + 2 * inputs.commandTimeoutMs,
        readyLine: protocol/* READY_LINE */.je,
    });
    if (!outcome.ready)
        throw hostNotReady(session, outcome.result);
    const { held } = outcome;
    const facts = new protocol/* Replies */.rI(held.stdout);
    held.release(Buffer.concat([
        Buffer.from(`${protocol/* GO_LINE */.qh}\n${facts.get('compose') ?? ''}\n`),
        releaseArchive(session).archive,
    ]));
    checkResult(session, await held.result);
    const current = facts.get('current_env');
    const readable = current !== 'unreadable';
    const text = current && readable ? Buffer.from(current, 'base64').toString('utf8') : null;
    const { unreadable, ...keys } = diffEnv(text, inputs.env);
    return {
        composeCommand: facts.get('compose') ?? '',
        user: facts.get('user') ?? '',
        appDirExists: facts.get('app_dir') === 'yes',
        ...keys,
        ...(unreadable || !readable ? { currentEnvUnreadable: true } : {}),
    };
}
function checkResult(session, result) {
    const { host, inputs } = session;
    const checks = new protocol/* Replies */.rI(result.stdout);
    if (checks.get('compose_error')) {
        const output = result.stdout
            .split('\n')
            .filter((line) => !/^[a-z_]+=/.test(line) && line !== protocol/* READY_LINE */.je);
        throw new DeployStepError(`the compose file does not pass 'compose config' on ${host.name}: ${(0,remote_text/* lastLines */.w$)(output.join('\n'), 3)}`);
    }
    if (checks.get('login_error') && inputs.registry) {
        throw new DeployStepError(`registry login to ${inputs.registry.server} failed: ${(0,remote_text/* lastLines */.w$)(result.stderr, 2)}`);
    }
    if (result.code !== 0)
        throw new remote_host/* RemoteCommandError */.at('Checking the release', result.code, result.stderr);
}

;// CONCATENATED MODULE: ./src/deploy/dry-run-steps.ts

/** Runs the dry run within `deadline` and logs its findings. */
function dryRunSteps(session, deadline, group, log) {
    const { inputs } = session;
    return group('Dry run: checking the droplet, the compose file and the registry login', async () => {
        const report = await dryRun(session, Math.max(0, deadline - Date.now()));
        log.info(`compose command: ${report.composeCommand}; user ${report.user}`);
        log.info(`${inputs.appDir} ${report.appDirExists ? 'exists' : 'does not exist yet (a deploy would create it)'}`);
        log.info("the compose file passes the host's compose config check");
        if (inputs.registry)
            log.info(`registry login to ${inputs.registry.server} works`);
        if (report.currentEnvUnreadable) {
            log.warning(`${inputs.appDir}/.env is not a .env file compose can read (or not a regular file of at most 1 MiB): every key counts as added`);
        }
        log.info(`.env keys added: ${report.added.join(', ') || 'none'}`);
        log.info(`.env keys changed: ${report.changed.join(', ') || 'none'}`);
        log.info(`.env keys removed: ${report.removed.join(', ') || 'none'}`);
        log.info('nothing was changed on the droplet');
        return report;
    });
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
    const script = (0,programs/* pullProgram */.Qq)(releaseTarget(session), entries, registry ? { server: registry.server, keep: !inputs.registryLogout } : null);
    const result = await session.host.exec(script, {
        label: pullTitle(session),
        stdin: archive,
        timeoutMs: inputs.commandTimeoutMs,
        after: ready,
    });
    if (result.code === protocol/* EXIT */.dc.uploadFailed) {
        throw new DeployStepError(`the release could not be written into ${session.layout.stagingDir}: ${(0,remote_text/* lastLines */.w$)(result.stderr, 2) || 'no reason given'}`);
    }
    if (result.code === protocol/* EXIT */.dc.unsafePath) {
        throw new UnsafeHostError(session.host.name, new protocol/* Replies */.rI(result.stdout).get('unsafe'));
    }
    if (result.code === protocol/* EXIT */.dc.loginFailed && registry) {
        throw new DeployStepError(`registry login to ${registry.server} failed: ${(0,remote_text/* lastLines */.w$)(result.stderr, 2) || 'no reason given'}`);
    }
    if (result.code !== 0) {
        throw new DeployStepError(`pulling the images failed; the running version was left as it was: ${(0,remote_text/* lastLines */.w$)(result.stderr, 3) || `exit code ${result.code}`}`);
    }
    return { hasPrevious: new protocol/* Replies */.rI(result.stdout).get('previous') === 'yes' };
}

;// CONCATENATED MODULE: ./src/deploy/start.ts





/** A report of nothing (before any step ran). */
const EMPTY_REPORT = { images: [], history: [], removedImages: 0 };
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
    const script = (0,programs/* startProgram */.Xd)(releaseTarget(session), {
        healthSeconds: Math.ceil(inputs.healthTimeoutMs / 1000),
        prune: inputs.prune,
        record: record(session, 'success', false),
    });
    const result = await session.host.exec(script, {
        label: 'Starting containers',
        timeoutMs: 2 * inputs.commandTimeoutMs + inputs.healthTimeoutMs,
        after: ready,
    });
    if (result.code === 0)
        return stepReport(result.stdout);
    const detail = result.stderr.trim() || `exit code ${result.code}`;
    switch (result.code) {
        case protocol/* EXIT */.dc.unsafePath:
            throw new UnsafeHostError(session.host.name, new protocol/* Replies */.rI(result.stdout).get('unsafe'));
        case protocol/* EXIT */.dc.upFailed:
            throw new DeployStepError(`starting the containers failed: ${(0,remote_text/* lastLines */.w$)(detail, 3)}`);
        case protocol/* EXIT */.dc.healthTimeout:
            throw new DeployStepError(`the containers were not healthy within 'health-timeout' (${Math.round(inputs.healthTimeoutMs / 1000)} s)`);
        case protocol/* EXIT */.dc.unhealthy:
            throw new DeployStepError(`health check failed: ${detail}`);
        default:
            throw new remote_host/* RemoteCommandError */.at('Starting containers', result.code, result.stderr);
    }
}
/**
 * Puts the previous release back: its files, its image IDs under the names its compose file
 * uses (a pull may have moved a tag such as `latest`), and its containers; records it.
 */
async function rollBack(session) {
    const result = await session.host.exec((0,programs/* rollbackProgram */.NB)(releaseTarget(session), record(session, 'failure', true)), { label: 'Rolling back', timeoutMs: session.inputs.commandTimeoutMs });
    if (result.code === protocol/* EXIT */.dc.unsafePath)
        throw new UnsafeHostError(session.host.name, new protocol/* Replies */.rI(result.stdout).get('unsafe'));
    if (result.code !== 0)
        throw new remote_host/* RemoteCommandError */.at('Rolling back', result.code, result.stderr);
    return stepReport(result.stdout);
}
/** Records a failed deploy that was not rolled back, and removes its staging directory. */
async function recordFailure(session) {
    const result = await session.host.exec((0,programs/* recordFailureProgram */.uD)(releaseTarget(session), record(session, 'failure', false)), { label: 'Recording the failure', timeoutMs: session.inputs.commandTimeoutMs });
    return stepReport(result.stdout);
}
/** Reads the `container=`, `digest=`, `history=` and `removed=` replies. */
function stepReport(stdout) {
    const replies = new protocol/* Replies */.rI(stdout);
    const digests = replies.all('digest');
    return {
        images: replies.all('container').map((line) => {
            const [service = '', image = '', id = ''] = line.split(' ');
            const digest = digests.find((entry) => entry.startsWith(`${id} `));
            return { service, image, id, digest: digest?.split(' ')[1] ?? '' };
        }),
        history: replies.all('history').flatMap((line) => {
            try {
                return [JSON.parse(line)];
            }
            catch {
                return [];
            }
        }),
        removedImages: replies.number('removed'),
    };
}

;// CONCATENATED MODULE: ./src/deploy/deploy-host.ts
/**
 * The sequence of one droplet's deploy, over one SSH connection: each step a group in the log;
 * on a failure after the new release was started, a rollback to the one that ran before.
 */







/** Deploys to one host; never throws: failures are in the result. */
function deployHost(hostName, inputs, deps) {
    return new HostDeploy(hostName, inputs, deps).run();
}
/** The limit for the lock holder: the whole deploy's worst case, so a stuck one cannot hold forever. */
function holdBudget(inputs) {
    return 6 * inputs.commandTimeoutMs + inputs.healthTimeoutMs + 60_000;
}
/** One host's deploy in progress: which step it is at and what it holds. */
class HostDeploy {
    hostName;
    inputs;
    deps;
    started = Date.now();
    deadline;
    step = 'Connecting';
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
            const session = openSession(await this.connect(), this.inputs, this.deps.identity);
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
            const connected = await deps.connect(hostName, {
                deadline: this.deadline,
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
        const locked = this.lock(session);
        const pulling = pullRelease(session, locked);
        const starting = startRelease(session, pulling);
        pulling.catch(() => { });
        starting.catch(() => { });
        await locked;
        const pulled = await this.group(pullTitle(session), async () => {
            const keys = this.inputs.env.map((v) => v.key).join(', ') || '(none)';
            this.deps.log.info(`.env: ${this.inputs.env.length} variable(s), mode 0600: ${keys}`);
            return pulling;
        });
        return this.start(session, pulled, starting);
    }
    lock(session) {
        const { inputs, deps } = this;
        const title = inputs.setupMarker
            ? `Waiting for ${inputs.setupMarker}, locking ${inputs.appDir}`
            : `Locking ${inputs.appDir}`;
        return this.group(title, async () => {
            const lock = await lockHost(session, Math.max(0, this.deadline - Date.now()), holdBudget(inputs));
            this.releaseLock = lock.lock.release;
            if (inputs.setupMarker)
                deps.log.info(`${inputs.setupMarker} present (waited ${lock.waitedSeconds} s)`);
            if (lock.lockWaitedSeconds > 0) {
                deps.log.info(`waited ${lock.lockWaitedSeconds} s for another deploy's lock`);
            }
            deps.log.info(`${inputs.appDir} locked for this deploy; user ${lock.user}; compose command: ${lock.composeCommand}`);
        });
    }
    async start(session, pulled, starting) {
        try {
            this.outcome = await this.group('Starting containers, checking health', () => starting);
            this.stagingGone = true;
        }
        catch (error) {
            // An unsafe app-dir stops the start before anything changed: nothing to roll back.
            if (error instanceof UnsafeHostError)
                throw error;
            const failedStep = this.step;
            const rolledBack = await this.rollBackAfter(session, pulled.hasPrevious, error);
            this.step = failedStep;
            if (rolledBack)
                return this.failure(error, { rolledBack: true });
            throw error;
        }
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
            log.warning(`first deploy to ${this.inputs.appDir}: there is no previous release to roll back to`);
            return false;
        }
        return log.group('Rolling back', async () => {
            log.info(`rolling back after: ${messageOf(error).split('\n')[0]}`);
            try {
                this.outcome = await rollBack(session);
                this.stagingGone = true;
                log.info('the previous release is running again');
                return true;
            }
            catch (rollbackError) {
                log.error(`rollback failed: ${messageOf(rollbackError)}`);
                return false;
            }
        });
    }
    /** After a failure while locked, records it in the history (and removes the staging folder). */
    async recordFailure(error) {
        if (!this.session || !this.releaseLock || error instanceof remote_host/* ConnectionLostError */.N9)
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
        return {
            host: this.hostName,
            status,
            rolledBack: false,
            images: this.outcome.images,
            history: this.outcome.history,
            durationMs: Date.now() - this.started,
            ...extra,
        };
    }
    failure(error, extra = {}) {
        const message = messageOf(error);
        this.deps.log.error(`${this.step}: ${message}`);
        if (error instanceof Error && error.stack)
            this.deps.log.debug(error.stack);
        return this.result('failure', { failedStep: this.step, error: message, ...extra });
    }
}
function messageOf(error) {
    return error instanceof Error ? error.message : String(error);
}

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

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
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






/** Deploys to every host as `strategy` says; the post step is told what each may still hold. */
async function deployAll(inputs, context) {
    const leftovers = new state/* LeftoverTracker */.iL(inputs.hosts);
    const jump = inputs.jumpHost ? (0,jump_tunnel/* jumpTunnel */.Z)(inputs.jumpHost, inputs.setupTimeoutMs) : undefined;
    const buffered = concurrency(inputs, inputs.hosts.length) > 1;
    try {
        return await deployFleet(inputs.hosts, inputs, (host) => {
            const log = buffered ? bufferedLog(host) : streamingLog(host);
            return deployHost(host, inputs, {
                connect: sshConnector(inputs, log, jump?.open),
                log,
                identity: identityOf(context),
                onLeftovers: (name, stagingDir) => leftovers.set(name, stagingDir),
            });
        });
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
;