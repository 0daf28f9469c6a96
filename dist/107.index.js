export const id = 107;
export const ids = [107];
export const modules = {

/***/ 4466:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bz: () => (/* binding */ stepLimits),
/* harmony export */   NM: () => (/* binding */ holdBudget),
/* harmony export */   Q2: () => (/* binding */ stackRollbackWaitMs),
/* harmony export */   QB: () => (/* binding */ lockReadyBudget),
/* harmony export */   Zy: () => (/* binding */ staleLeaseSeconds),
/* harmony export */   _S: () => (/* binding */ rolloutHealthMs),
/* harmony export */   ol: () => (/* binding */ registryLoginSeconds)
/* harmony export */ });
/* unused harmony export rolloutBudgetMs */
/* harmony import */ var _shell_timed_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5701);
/* harmony import */ var _host_scripts_release_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6470);
/**
 * How long each step of a deploy may take, derived from the inputs in this one place: the
 * limits the steps run under, the lock holder's limit that covers them all, the age after
 * which a stack's swarm-wide lease is a dead run's, and how long short-lived registry
 * credentials must live. Each mode computes its `StepLimits` once (`DeployMode.limits`), with
 * what its rollback waits beyond `command-timeout`.
 */


/** Each step's limit (ms), as `inputs` make it: what every step's `timeoutMs` is. */
function stepLimits(inputs, rollbackWaitMs) {
    const c = inputs.commandTimeoutMs;
    return {
        pull: c,
        releaseCommand: inputs.releaseCommand
            ? ((0,_shell_timed_js__WEBPACK_IMPORTED_MODULE_0__/* .wholeSeconds */ .sb)(inputs.releaseCommand.timeoutMs) + _host_scripts_release_command_js__WEBPACK_IMPORTED_MODULE_1__/* .RELEASE_CLEANUP_SECONDS */ .zm) * 1000
            : 0,
        start: 2 * c + inputs.healthTimeoutMs + rolloutBudgetMs(inputs),
        rollback: c + rollbackWaitMs,
        recordFailure: c,
    };
}
/**
 * The limit for the lock holder (ms): every step a deploy can run under the lock (see
 * `stepLimits`), one `command-timeout` more for the runner's own work between them, and a
 * minute's margin. So a stuck holder cannot hold forever, and a live one is never cut short.
 */
function holdBudget(inputs, steps) {
    const all = steps.pull + steps.releaseCommand + steps.start + steps.rollback + steps.recordFailure;
    return all + inputs.commandTimeoutMs + 60_000;
}
/**
 * The age (s) after which a stack's swarm-wide lease is a dead run's and is taken over: the
 * longest a live run holds it, waiting for the lock on app-dir (`lock-timeout`) and then for
 * the whole deploy (`holdBudget`).
 */
function staleLeaseSeconds(inputs, steps) {
    return Math.ceil((inputs.lockTimeoutMs + holdBudget(inputs, steps)) / 1000);
}
/**
 * How long the lock program may take to hold the lock (its ready line): the marker's wait, the
 * wait for each of the mode's `locks` (a stack's lease, then app-dir's lock), and a command's
 * for docker's checks.
 */
function lockReadyBudget(inputs, markerBudgetMs, locks) {
    return markerBudgetMs + locks * inputs.lockTimeoutMs + inputs.commandTimeoutMs;
}
/** What short-lived registry credentials are given beyond the deploy's worst case (s). */
const REGISTRY_LOGIN_MARGIN_SECONDS = 300;
/**
 * How long short-lived registry credentials (`digitalocean-token`) must stay valid (s): until
 * the last host's start has ended (its pull logs in; a stack's nodes pull while it converges),
 * the hosts taken one after another, the worst any `strategy` does. Each host before it may
 * take its connection and setup marker (`setup-timeout`), both locks (`lock-timeout`) and all
 * it runs under them (`holdBudget`, a rollback included); the last one the same, up to the end
 * of its start. Either mode's rollback wait and lock count are covered (the longer), and a
 * margin of five minutes.
 */
function registryLoginSeconds(inputs) {
    // A stack's rollback wait (health-timeout, or command-timeout when that is 0) is never
    // shorter than compose's (health-timeout).
    const steps = stepLimits(inputs, stackRollbackWaitMs(inputs));
    const reachLocked = inputs.setupTimeoutMs + 2 * inputs.lockTimeoutMs;
    const wholeHost = reachLocked + holdBudget(inputs, steps);
    const lastHost = reachLocked + steps.pull + steps.releaseCommand + steps.start;
    const ms = (inputs.hosts.length - 1) * wholeHost + lastHost;
    return (0,_shell_timed_js__WEBPACK_IMPORTED_MODULE_0__/* .wholeSeconds */ .sb)(ms) + REGISTRY_LOGIN_MARGIN_SECONDS;
}
/**
 * How long a start-first service's new containers have to pass the health gate:
 * `health-timeout`, or `command-timeout` when that is 0 (the old ones must not stop unchecked).
 */
function rolloutHealthMs(inputs) {
    return inputs.healthTimeoutMs || inputs.commandTimeoutMs;
}
/**
 * What rolling the start-first services adds to the start's limit: for each, an `up`, the
 * health gate and the old containers' grace period.
 */
function rolloutBudgetMs(inputs) {
    return (inputs.rollout?.startFirst ?? []).reduce((sum, service) => sum + inputs.commandTimeoutMs + rolloutHealthMs(inputs) + service.stopGraceSeconds * 1000, 0);
}
/**
 * How long a stack's rollback waits for the services it put back: `health-timeout`, or, when
 * that is 0 (and the deploy failed at `stack deploy` itself), `command-timeout`.
 */
function stackRollbackWaitMs(inputs) {
    return inputs.healthTimeoutMs || inputs.commandTimeoutMs;
}


/***/ }),

/***/ 6470:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   PQ: () => (/* binding */ RELEASE_COMMAND_REPLIES),
/* harmony export */   UR: () => (/* binding */ releaseCommandWords),
/* harmony export */   le: () => (/* binding */ releaseCommandProgram),
/* harmony export */   zm: () => (/* binding */ RELEASE_CLEANUP_SECONDS)
/* harmony export */ });
/* unused harmony export runReleaseCommand */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2951);
/* harmony import */ var _prepare_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6916);
/* harmony import */ var _shell_timed_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5701);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4175);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4324);
/**
 * The release command on the host: one `compose run --rm --no-deps` of the staged release (its
 * compose file, `.env` and `files`, in the staging folder, under the project's name, so its
 * named volumes and networks are the project's), after the pull and before anything in app-dir
 * changes. Its words come on the standard input (never on a command line the host's process
 * list shows), sh-quoted by the runner; its output goes to standard error, so nothing it prints
 * can pass for a reply.
 */





/** Seconds the host's `timeout` waits after TERM before it KILLs the command. */
const KILL_AFTER_SECONDS = 5;
/**
 * Seconds the program needs beyond the command's own timeout: the KILL after TERM, and
 * removing the container (the remote command's timeout is the command's plus this).
 */
const RELEASE_CLEANUP_SECONDS = KILL_AFTER_SECONDS + 25;
/** The reply that carries the command's exit status when it failed: `release_status=<n>`. */
const RELEASE_COMMAND_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .replyKeys */ .x1)({ status: 'release_status' });
/**
 * Reads the command's words (sh-quoted words on standard input), runs them in a one-off
 * container of `service` named `layout.releaseContainer`, under `timeout`; the container is
 * removed on every way out. Exits 0, `releaseCommandFailed` (printing `release_status=<n>`)
 * or `releaseCommandTimedOut`.
 */
function runReleaseCommand(layout, project, run) {
    const container = layout.releaseContainer;
    // The compose helper is a shell function, which timeout(1) cannot run: the command under
    // timeout is a shell of its own that defines it.
    const inner = (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__/* .lines */ .Mn)([
        (0,_prepare_js__WEBPACK_IMPORTED_MODULE_0__/* .composeHelper */ .jY)().definition,
        (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `monarch_compose --project-name ${project} run --rm --no-deps -T --name ${container} ${run.service} "$@"`,
    ]);
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_4__/* .hostScript */ .Q1)('monarch_run_release_command', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `words=$(cat) || exit 1
# The words are the runner's, each quoted as one shell word: eval only undoes that quoting.
eval "set -- $words"
cd ${layout.stagingDir} || exit 1
status=0
timeout -k ${KILL_AFTER_SECONDS} ${run.seconds} sh -c ${inner.text} monarch-release "$@" </dev/null >&2 || status=$?
[ "$status" -eq 0 ] && exit 0
docker rm -f ${container} >/dev/null 2>&1
case $status in
  ${new _shell_command_js__WEBPACK_IMPORTED_MODULE_3__/* .ShellCommand */ .oI(_shell_timed_js__WEBPACK_IMPORTED_MODULE_1__/* .TIMED_OUT */ .VP.join('|'))}) exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.releaseCommandTimedOut} ;;
esac
echo "${RELEASE_COMMAND_REPLIES.status}=$status"
exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_2__/* .EXIT */ .dc.releaseCommandFailed}`);
}
/** The release command's remote command: `runReleaseCommand`, the words on its standard input. */
function releaseCommandProgram(target, run) {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_4__/* .program */ .DM)([(0,_script_js__WEBPACK_IMPORTED_MODULE_4__/* .step */ .PM)(runReleaseCommand(target.layout, target.project, run), { orExit: true })]);
}
/** The standard input of `releaseCommandProgram`: each word quoted as one shell word. */
function releaseCommandWords(words) {
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_3__.sh) `${words}`.text;
}


/***/ }),

/***/ 5107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  run: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/context.ts
/**
 * Facts about the workflow run, from the environment the runner sets. Read directly instead of
 * through @actions/github: the action needs a handful of variables, not an API client.
 */

/** Reads the run context from `GITHUB_*` variables and the event payload. */
function getRunContext(env = process.env) {
    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const repository = env.GITHUB_REPOSITORY || '';
    const sha = env.GITHUB_SHA || '';
    return {
        repository,
        sha,
        ref: env.GITHUB_REF_NAME || env.GITHUB_REF || '',
        actor: env.GITHUB_ACTOR || '',
        triggeringActor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
        workflow: env.GITHUB_WORKFLOW || '',
        serverUrl,
        runUrl: repository && env.GITHUB_RUN_ID
            ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
            : '',
        commitUrl: repository && sha ? `${serverUrl}/${repository}/commit/${sha}` : '',
        commitTitle: commitTitle(env.GITHUB_EVENT_PATH),
    };
}
function commitTitle(eventPath) {
    if (!eventPath)
        return '';
    try {
        const event = JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
        return (event.head_commit?.message ?? '').split('\n')[0];
    }
    catch {
        return '';
    }
}

// EXTERNAL MODULE: ./src/remote-text.ts
var remote_text = __webpack_require__(8217);
// EXTERNAL MODULE: ./src/http/bounded-body.ts
var bounded_body = __webpack_require__(5242);
// EXTERNAL MODULE: ./src/vendor/undici-lazy.ts
var undici_lazy = __webpack_require__(9363);
;// CONCATENATED MODULE: ./src/github/deployments.ts
/**
 * A GitHub Deployment for the run, so the repository's Environments page shows what runs where:
 * created for the commit when the deploy starts, `in_progress`, then `success` or `failure`
 * with the environment URL and a link to the run. Only with `environment` set; without it no
 * API call is made. A failure here is a warning: it never fails the deploy.
 */




const DESCRIPTION_LIMIT = 140;
const PERMISSION_FIX = 'Add `permissions: deployments: write` to the job.';
/** The deployment tracker for `settings`; a no-op without an environment. */
function createDeploymentTracker(settings, context, options = {}) {
    const environment = settings.environment?.trim();
    if (!environment)
        return { start: async () => undefined, finish: async () => undefined };
    return new GitHubDeployment(settings, environment, context, options);
}
/** The deployment of one run, through the REST API. */
class GitHubDeployment {
    settings;
    environment;
    context;
    options;
    id;
    // Made on first use: without an environment nothing of Octokit runs.
    client;
    owner;
    repo;
    timeoutMs;
    constructor(settings, environment, context, options) {
        this.settings = settings;
        this.environment = environment;
        this.context = context;
        this.options = options;
        [this.owner, this.repo] = context.repository.split('/');
        this.timeoutMs = options.timeoutMs ?? 15_000;
    }
    async start() {
        const { settings, context, environment } = this;
        if (!settings.token || !this.owner || !this.repo || !context.sha) {
            core/* warning */.$e(`no GitHub deployment for '${environment}': ${!settings.token ? "'github-token' is empty" : 'GITHUB_REPOSITORY or GITHUB_SHA is not set'}`);
            return undefined;
        }
        try {
            this.id = await this.create();
            core/* info */.pq(`GitHub deployment ${this.id} created for environment '${environment}'`);
        }
        catch (error) {
            core/* warning */.$e(`could not create the GitHub deployment for '${environment}': ${explain(error)}`);
            return undefined;
        }
        try {
            await this.setStatus(this.id, 'in_progress', 'Deploying');
        }
        catch (error) {
            core/* warning */.$e(`could not mark GitHub deployment ${this.id} in progress: ${explain(error)}`);
        }
        return this.id;
    }
    async finish(report) {
        if (this.id === undefined)
            return;
        const description = report.status === 'success'
            ? 'Deployed'
            : `Failed${report.failedStep ? ` at ${report.failedStep}` : ''}${report.rolledBack ? ', rolled back' : ''}`;
        try {
            await this.setStatus(this.id, report.status, description);
            core/* info */.pq(`GitHub deployment ${this.id}: ${report.status}`);
        }
        catch (error) {
            core/* warning */.$e(`could not set GitHub deployment ${this.id} to ${report.status}: ${explain(error)}`);
        }
    }
    /** Octokit, loaded on first use: a run without a deployment never loads it. */
    async octokit() {
        const env = this.options.env ?? process.env;
        await (0,undici_lazy.loadUndici)();
        const { getOctokit } = await Promise.all(/* import() */[__webpack_require__.e(665), __webpack_require__.e(351)]).then(__webpack_require__.bind(__webpack_require__, 1351));
        // The defaults hold the runner's proxy settings; the fetch keeps them and bounds each answer.
        const { defaults } = await __webpack_require__.e(/* import() */ 665).then(__webpack_require__.bind(__webpack_require__, 8665));
        const proxyFetch = (defaults.request?.fetch ?? fetch);
        return (this.client ??= getOctokit(this.settings.token, {
            baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
            request: { ...defaults.request, fetch: (0,bounded_body/* boundedFetch */.A)(proxyFetch, 'the GitHub API') },
            userAgent: 'monarch-deploy',
            // Octokit prints its own warnings (deprecations) to the console; keep them to debug.
            log: { debug: core/* debug */.Yz, info: core/* debug */.Yz, warn: core/* debug */.Yz, error: core/* debug */.Yz },
        }));
    }
    async create() {
        const octokit = await this.octokit();
        const { data } = await withTimeout(this.timeoutMs, (signal) => octokit.rest.repos.createDeployment({
            owner: this.owner,
            repo: this.repo,
            ref: this.context.sha,
            environment: this.environment,
            auto_merge: false,
            required_contexts: [],
            transient_environment: false,
            description: clip(`monarch-deploy of ${this.context.sha.slice(0, 7)}`),
            request: { signal },
        }));
        // 202 (a merge message instead of a deployment) only happens with auto_merge.
        if (!('id' in data))
            throw new Error(`GitHub did not create it: ${(0,remote_text/* oneLine */.TN)(data.message ?? '')}`);
        if (!Number.isSafeInteger(data.id))
            throw new Error('GitHub answered without a deployment id');
        return data.id;
    }
    async setStatus(deploymentId, state, description) {
        const url = this.settings.environmentUrl;
        const octokit = await this.octokit();
        return withTimeout(this.timeoutMs, (signal) => octokit.rest.repos.createDeploymentStatus({
            owner: this.owner,
            repo: this.repo,
            deployment_id: deploymentId,
            state,
            description: clip(description),
            log_url: this.context.runUrl || undefined,
            ...(state !== 'in_progress' && url ? { environment_url: url } : {}),
            request: { signal },
        }));
    }
}
/** Runs one API call under the time limit; running out becomes an error that says so. */
async function withTimeout(timeoutMs, call) {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
        return await call(signal);
    }
    catch (error) {
        if (signal.aborted) {
            throw new Error(`GitHub did not answer within ${timeoutMs / 1000} s`, { cause: error });
        }
        throw error;
    }
}
/** What went wrong, and what to do when that is known. */
function explain(error) {
    const status = httpStatus(error);
    const message = (0,remote_text/* oneLine */.TN)((error instanceof Error ? error.message : String(error)).split('\n')[0]);
    const http = status ? `HTTP ${status}: ` : '';
    if (status === 403 || /resource not accessible by integration/i.test(message)) {
        return `the token may not write deployments (${http}${message}). ${PERMISSION_FIX}`;
    }
    if (status === 401)
        return `${http}${message}; check 'github-token'`;
    if (status === 404) {
        return `${http}${message}; the repository or commit is not visible to 'github-token'`;
    }
    return `${http}${message}`;
}
/**
 * The HTTP status of Octokit's RequestError when GitHub answered. Octokit also says 500 for a
 * request that got no answer at all; only a `response` proves there was one.
 */
function httpStatus(error) {
    if (typeof error !== 'object' || error === null)
        return undefined;
    const { status, response } = error;
    return response && typeof status === 'number' ? status : undefined;
}
function clip(text) {
    return text.length <= DESCRIPTION_LIMIT ? text : text.slice(0, DESCRIPTION_LIMIT - 1) + '…';
}

// EXTERNAL MODULE: ./src/inputs/index.ts + 15 modules
var inputs = __webpack_require__(4168);
;// CONCATENATED MODULE: ./src/notify/notify-on.ts
/** When to tell Slack: the `notify-on` input, and the one decision it drives. */


/** True when `value` is one of `NOTIFY_ON_VALUES`; for the input parser. */
function isNotifyOn(value) {
    return NOTIFY_ON_VALUES.includes(value);
}
/** Whether a run that ended with `status` is announced under `notifyOn`. */
function shouldNotify(notifyOn, status) {
    switch (notifyOn) {
        case 'always':
            return true;
        case 'never':
            return false;
        default:
            return notifyOn === status;
    }
}

// EXTERNAL MODULE: ./src/notify/retrying-fetch.ts
var retrying_fetch = __webpack_require__(2350);
// EXTERNAL MODULE: ./src/http/api-url-override.ts
var api_url_override = __webpack_require__(4597);
;// CONCATENATED MODULE: ./src/notify/slack-api.ts
/**
 * The two Slack Web API methods the action uses, `chat.postMessage` and `chat.update`, over the
 * global `fetch`. Not `@slack/web-api`: for two POSTs it would add about 214 KB to dist/ (p-queue,
 * eventemitter3, @slack/logger and a client for every method), and its retry policy is not
 * the one the webhook uses; here both share `fetchWithRetry`.
 */




/** Where the Web API lives. */
const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
/**
 * The Web API's base URL. `MONARCH_SLACK_API_URL` exists for tests, to reach a local stand-in;
 * it is deliberately not an input, and only a loopback address is honoured (see `apiBaseUrl`).
 */
function slackApiUrl(env = process.env) {
    const base = (0,api_url_override/* apiBaseUrl */.tj)('MONARCH_SLACK_API_URL', DEFAULT_SLACK_API_URL, env);
    return base.endsWith('/') ? base : `${base}/`;
}
/** A Web API call that Slack refused or that got no usable answer. */
class SlackApiError extends Error {
    method;
    code;
    constructor(method, 
    /** Slack's error code (`channel_not_found`), or `http_<status>` / `invalid_response`. */
    code, detail) {
        super(`Slack ${method} failed: ${detail}`);
        this.method = method;
        this.code = code;
        this.name = 'SlackApiError';
    }
}
const BOT_TOKEN_HINT = "check 'slack-bot-token': it must be the bot token (xoxb-...) of an installed app";
/** What to do about each error Slack may answer with, for the message the user reads. */
const HINTS = {
    channel_not_found: "check 'slack-channel' (the channel ID, e.g. C0123456789, is safest); for a private channel, invite the bot to the channel",
    not_in_channel: 'invite the bot to the channel (/invite @your-app in Slack)',
    is_archived: "the channel is archived: unarchive it or set another 'slack-channel'",
    invalid_auth: BOT_TOKEN_HINT,
    not_authed: BOT_TOKEN_HINT,
    account_inactive: BOT_TOKEN_HINT,
    token_revoked: "the bot token was revoked: reinstall the app and update 'slack-bot-token'",
    token_expired: "the bot token expired: reinstall the app and update 'slack-bot-token'",
    missing_scope: 'give the app the chat:write scope and reinstall it',
    restricted_action: 'the workspace does not let this bot post in that channel',
    restricted_action_read_only_channel: 'the channel is read-only for this bot',
    ratelimited: 'Slack rate-limited the bot: try again later',
    invalid_blocks: 'Slack refused the message layout: please report this to monarch-deploy',
    msg_too_long: 'Slack refused the message as too long: please report this to monarch-deploy',
};
/** A bot-token client for posting one message and updating it in place. */
class SlackWebApi {
    token;
    policy;
    baseUrl;
    constructor(token, policy, env = process.env) {
        this.token = token;
        this.policy = policy;
        this.baseUrl = slackApiUrl(env);
    }
    /** Posts `message` to `channel` (an ID or a name); resolves to where it landed. */
    async postMessage(channel, message) {
        return posted('chat.postMessage', await this.call('chat.postMessage', { channel, text: message.text, blocks: message.blocks }));
    }
    /** Replaces the message `ts` in `channel` (the ID `postMessage` returned) with `message`. */
    async update(channel, ts, message) {
        return posted('chat.update', await this.call('chat.update', { channel, ts, text: message.text, blocks: message.blocks }));
    }
    /** One call: JSON in, JSON out; Slack answers HTTP 200 with `ok: false` when it refuses. */
    async call(method, body) {
        const response = await (0,retrying_fetch/* fetchWithRetry */.J5)(`Slack ${method}`, new URL(method, this.baseUrl), {
            method: 'POST',
            headers: {
                Authorization: `Bearer ${this.token}`,
                'Content-Type': 'application/json; charset=utf-8',
            },
            body: JSON.stringify(body),
            redirect: 'error',
        }, this.policy);
        const text = await response.text();
        if (!response.ok) {
            const code = response.status === 429 ? 'ratelimited' : `http_${response.status}`;
            throw new SlackApiError(method, code, `HTTP ${response.status}${hint(code)}`);
        }
        let data;
        try {
            data = JSON.parse(text);
        }
        catch {
            data = undefined;
        }
        if (typeof data !== 'object' ||
            data === null ||
            typeof data.ok !== 'boolean') {
            throw new SlackApiError(method, 'invalid_response', `HTTP ${response.status} without a Slack API answer (is MONARCH_SLACK_API_URL right?)`);
        }
        const answer = data;
        if (answer.ok !== true) {
            const code = typeof answer.error === 'string' ? (0,remote_text/* oneLine */.TN)(answer.error.slice(0, 100)) : 'unknown_error';
            const needed = typeof answer.needed === 'string' ? ` (needs ${(0,remote_text/* oneLine */.TN)(answer.needed.slice(0, 100))})` : '';
            throw new SlackApiError(method, code, `${code}${needed}${hint(code)}`);
        }
        if (typeof answer.warning === 'string')
            core/* debug */.Yz(`Slack ${method} warning: ${answer.warning}`);
        return answer;
    }
}
function posted(method, answer) {
    // Checked, not trusted: they are logged, and the ts is an output of the step.
    const { channel, ts } = answer;
    if (typeof channel !== 'string' ||
        typeof ts !== 'string' ||
        !/^[A-Z0-9]{1,40}$/.test(channel) ||
        !/^\d{1,20}\.\d{1,10}$/.test(ts)) {
        throw new SlackApiError(method, 'invalid_response', 'the answer has no valid channel and ts');
    }
    return { channel, ts };
}
function hint(code) {
    if (HINTS[code])
        return `: ${HINTS[code]}`;
    return /^http_5\d\d$/.test(code) ? ': Slack is having trouble, the message was not sent' : '';
}

// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(7194);
;// CONCATENATED MODULE: ./src/notify/slack-blocks.ts
/** The limits of https://docs.slack.dev/reference/block-kit/blocks, in characters. */
const SLACK_LIMITS = {
    headerText: 150,
    sectionText: 3000,
    fieldText: 2000,
    fieldsPerSection: 10,
    blocks: 50,
    buttonText: 75,
    buttonsPerBlock: 25,
    url: 3000,
};
/** Escapes text for Slack mrkdwn (`&`, `<`, `>`), so it cannot form links or mentions. */
function escapeMrkdwn(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * Keeps the start of `text` within `limit`, ending with `…` when shortened. Never splits a
 * surrogate pair (Slack refuses lone surrogates) or an escape such as `&amp;`.
 */
function truncate(text, limit) {
    if (text.length <= limit)
        return text;
    let end = limit - 1;
    if (isHighSurrogate(text.charCodeAt(end - 1)))
        end -= 1;
    return text.slice(0, end).replace(/&[a-z]{0,3}$/, '') + '…';
}
/**
 * Escapes `text` for mrkdwn and keeps its END within `limit` (the end of an error is where the
 * cause is), starting with `…` when shortened.
 */
function escapedTail(text, limit) {
    const escaped = escapeMrkdwn(text);
    if (escaped.length <= limit)
        return escaped;
    // Counted on the raw text so the cut never lands inside an escape.
    let start = text.length;
    let used = 1;
    while (start > 0) {
        const cost = escapeMrkdwn(text[start - 1]).length;
        if (used + cost > limit)
            break;
        used += cost;
        start -= 1;
    }
    if (isLowSurrogate(text.charCodeAt(start)))
        start += 1;
    return '…' + escapeMrkdwn(text.slice(start));
}
/**
 * Joins mrkdwn lines within `limit`, replacing the lines that do not fit with one
 * "… and N more" line, so a long list is cut between entries rather than inside one.
 */
function fitLines(lines, limit) {
    const all = lines.join('\n');
    if (all.length <= limit)
        return all;
    const kept = [];
    let length = 0;
    for (const line of lines) {
        const next = length + (kept.length > 0 ? 1 : 0) + line.length;
        // Room is kept for the "more" line at its longest (fewer lines left only shortens it).
        const more = `… and ${lines.length - kept.length} more`;
        if (next + 1 + more.length > limit)
            break;
        kept.push(line);
        length = next;
    }
    return truncate([...kept, `… and ${lines.length - kept.length} more`].join('\n'), limit);
}
/** A header block (plain text, emoji shortcodes rendered). */
function headerBlock(text) {
    return {
        type: 'header',
        text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true },
    };
}
/** A section of mrkdwn text. */
function textSection(mrkdwn) {
    return {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) },
    };
}
/** Sections of two-column mrkdwn fields, ten to a section. */
function fieldSections(fields) {
    const sections = [];
    for (let index = 0; index < fields.length; index += SLACK_LIMITS.fieldsPerSection) {
        sections.push({
            type: 'section',
            fields: fields.slice(index, index + SLACK_LIMITS.fieldsPerSection).map((text) => ({
                type: 'mrkdwn',
                text: truncate(text, SLACK_LIMITS.fieldText),
            })),
        });
    }
    return sections;
}
/**
 * An actions block of link buttons, or nothing when no link is usable. A URL that is not
 * http(s) or is too long is left out rather than shortened: a cut URL is a broken link.
 */
function linkButtons(links) {
    const elements = links
        .filter((link) => isLinkable(link.url))
        .slice(0, SLACK_LIMITS.buttonsPerBlock)
        .map((link) => ({
        type: 'button',
        text: { type: 'plain_text', text: truncate(link.text, SLACK_LIMITS.buttonText) },
        url: link.url,
    }));
    return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}
/** Keeps at most Slack's 50 blocks; the first ones (header, facts) matter most. */
function limitBlocks(blocks) {
    return blocks.slice(0, SLACK_LIMITS.blocks);
}
/** Whether `url` can go in a button or an mrkdwn link `<url|text>`. */
function isLinkable(url) {
    if (!url || url.length > SLACK_LIMITS.url || /[\s<>|]/.test(url))
        return false;
    try {
        const protocol = new URL(url).protocol;
        return protocol === 'https:' || protocol === 'http:';
    }
    catch {
        return false;
    }
}
/** An mrkdwn link to `url` showing `text` (escaped), or the text alone when the URL is unusable. */
function mrkdwnLink(url, text) {
    return isLinkable(url) ? `<${url}|${escapeMrkdwn(text)}>` : escapeMrkdwn(text);
}
function isHighSurrogate(code) {
    return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code) {
    return code >= 0xdc00 && code <= 0xdfff;
}

;// CONCATENATED MODULE: ./src/notify/slack-message.ts




/** How many of the error's last lines the failure section shows. */
const ERROR_LINES = 20;
const TITLE_LIMIT = 200;
const STEP_LIMIT = 300;
/** Builds the "Deploying ..." message posted when a deploy starts. */
function buildDeployingMessage(start) {
    const ctx = start.context;
    const header = `:rocket: Deploying: ${target(start)}`;
    const fields = [
        ...commonFields(start),
        `*${start.targets.length > 1 ? 'Hosts' : 'Host'}*\n${fitLines(start.targets.map(escapeMrkdwn), SLACK_LIMITS.fieldText - 10) || 'none'}`,
        `*Started*\n${slackDate(start.startedAt)}`,
    ];
    const text = `Deploying: ${target(start)} on ${start.targets.join(', ') || 'no host'} — ` +
        `commit ${shortSha(ctx) || 'unknown'} by ${who(ctx)}${ctx.runUrl ? ` — ${ctx.runUrl}` : ''}`;
    return {
        text: truncate(escapeMrkdwn(text), SLACK_LIMITS.sectionText),
        blocks: limitBlocks([
            headerBlock(header),
            ...fieldSections(fields),
            ...linkButtons(links(start)),
        ]),
    };
}
/** Builds the message for a finished run. */
function buildSlackMessage(report, options = {}) {
    const ctx = report.context;
    const hide = (text) => (0,secrets/* redact */.E$)(text, secretForms(options.secrets ?? []));
    const failedStep = report.failedStep && truncate(hide(report.failedStep), STEP_LIMIT);
    // A stack's other managers are stand-ins, not targets the run failed to reach.
    const several = (!report.stack && report.targets.length > 1) || report.hosts.length > 1;
    const fields = [
        ...commonFields(report),
        ...(several ? [] : [`*Host*\n${escapeMrkdwn(hostSummary(report))}`]),
        ...(report.stack ? [`*Stack*\n${escapeMrkdwn(stackLine(report, report.stack))}`] : []),
        `*When*\n${slackDate(report.startedAt)} · took ${formatDuration(report.durationMs)}`,
    ];
    const blocks = [
        headerBlock(`${icon(report)} ${headline(report)}`),
        ...fieldSections(fields),
    ];
    if (several) {
        const title = '*Hosts*\n';
        blocks.push(textSection(title + fitLines(hostLines(report), SLACK_LIMITS.sectionText - title.length)));
    }
    if (report.status === 'failure' && report.error) {
        const where = failedStep ? `*Failed at:* ${escapeMrkdwn(failedStep)}\n` : '';
        const budget = SLACK_LIMITS.sectionText - where.length - 6;
        // Three backquotes in the error would end the code block early.
        const error = (0,remote_text/* lastLines */.w$)(hide(report.error), ERROR_LINES).replace(/```/g, "'''");
        blocks.push(textSection(`${where}\`\`\`${escapedTail(error, budget)}\`\`\``));
    }
    blocks.push(...linkButtons(links(report)));
    const failedAt = report.status === 'failure' && failedStep ? ` — failed at ${failedStep}` : '';
    const text = `${headline(report)} (${report.status}) on ${hostSummary(report)}${failedAt} — ` +
        `commit ${shortSha(ctx) || 'unknown'} by ${who(ctx)}${ctx.runUrl ? ` — ${ctx.runUrl}` : ''}`;
    return {
        text: truncate(escapeMrkdwn(text), SLACK_LIMITS.sectionText),
        blocks: limitBlocks(blocks),
    };
}
/** "1 min 5 s", "42 s": how long the run took. */
function formatDuration(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60)
        return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
}
function commonFields(start) {
    const ctx = start.context;
    const repositoryUrl = ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : undefined;
    const title = ctx.commitTitle ? ` ${escapeMrkdwn(truncate(ctx.commitTitle, TITLE_LIMIT))}` : '';
    return [
        `*Repository*\n${ctx.repository ? mrkdwnLink(repositoryUrl, ctx.repository) : 'unknown'}`,
        ...(start.environment
            ? [`*Environment*\n${mrkdwnLink(start.environmentUrl, start.environment)}`]
            : []),
        `*Commit*\n${shortSha(ctx) ? mrkdwnLink(ctx.commitUrl, shortSha(ctx)) : 'unknown'}${title}`,
        `*Ref*\n${escapeMrkdwn(ctx.ref || 'unknown')}`,
        `*By*\n${escapeMrkdwn(who(ctx))}`,
    ];
}
function links(start) {
    const buttons = [];
    if (start.context.runUrl)
        buttons.push({ text: 'View workflow run', url: start.context.runUrl });
    if (start.environmentUrl) {
        buttons.push({ text: `Open ${start.environment || 'environment'}`, url: start.environmentUrl });
    }
    return buttons;
}
function target(start) {
    const repository = start.context.repository || 'monarch-deploy';
    return start.environment ? `${repository} to ${start.environment}` : repository;
}
function headline(report) {
    let verb;
    if (report.dryRun) {
        verb = report.status === 'success' ? 'Dry run passed' : 'Dry run failed';
    }
    else if (report.status === 'success')
        verb = 'Deployed';
    else if (report.releaseCommandFailed)
        verb = 'Deploy failed: release command failed, nothing switched';
    else
        verb = report.rolledBack ? 'Deploy failed, rolled back' : 'Deploy failed';
    return `${verb}: ${target(report)}`;
}
function icon(report) {
    if (report.status === 'success')
        return report.dryRun ? ':mag:' : ':white_check_mark:';
    return report.rolledBack ? ':rewind:' : ':x:';
}
const MARKS = {
    success: '✓',
    failure: '✗',
    skipped: '–',
};
/** `web · 2 services, 3/3 tasks running`: the stack of `mode: swarm`. */
function stackLine(report, stack) {
    const services = report.hosts.flatMap((host) => host.stack?.services ?? []);
    const running = services.reduce((sum, service) => sum + service.running, 0);
    const desired = services.reduce((sum, service) => sum + service.desired, 0);
    const tasks = services.length > 0 ? `, ${running}/${desired} tasks running` : '';
    return `${stack.name} · ${stack.services} service${stack.services === 1 ? '' : 's'}${tasks}`;
}
/** Each host's mark and name: `✓ 10.0.0.1, ✗ 10.0.0.2`. */
function hostSummary(report) {
    const marks = report.hosts.map((host) => `${MARKS[host.status]} ${host.host}`);
    return marks.join(', ') || report.targets.join(', ') || 'no host';
}
/** A line per host with its result; targets the run never reached say so. */
function hostLines(report) {
    const reached = new Set(report.hosts.map((host) => host.host));
    return [
        ...report.hosts.map((host) => escapeMrkdwn(hostLine(host, report.dryRun))),
        ...(report.stack ? [] : report.targets)
            .filter((name) => !reached.has(name))
            .map((name) => `– ${escapeMrkdwn(name)}: not deployed`),
    ];
}
function hostLine(host, dryRun) {
    const took = formatDuration(host.durationMs);
    if (host.status === 'skipped')
        return `– ${host.host}: skipped (the rolling deploy stopped)`;
    if (host.status === 'success')
        return `✓ ${host.host}: ${dryRun ? 'checked' : 'deployed'} in ${took}`;
    const step = host.failedStep ? ` at ${host.failedStep}` : '';
    if (host.releaseCommandFailed)
        return `✗ ${host.host}: release command failed, nothing switched${step}`;
    return host.rolledBack
        ? `↩ ${host.host}: failed${step}, rolled back`
        : `✗ ${host.host}: failed${step}`;
}
function shortSha(ctx) {
    return ctx.sha.slice(0, 7);
}
function who(ctx) {
    if (!ctx.actor)
        return 'unknown';
    return ctx.triggeringActor && ctx.triggeringActor !== ctx.actor
        ? `${ctx.actor} (run by ${ctx.triggeringActor})`
        : ctx.actor;
}
/** Slack shows the time in each reader's time zone; the fallback is UTC. */
function slackDate(date) {
    return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${date.toISOString()}>`;
}
/** Each secret and each of its lines (as the runner's log masking treats them). */
function secretForms(secrets) {
    return secrets.flatMap((value) => [value, ...value.split(/\r?\n/).map((line) => line.trim())]);
}

;// CONCATENATED MODULE: ./src/notify/slack.ts
/**
 * Telling Slack about a run, behind one `Notifier` the main step calls twice: `start` before the
 * first host and `finish` with the report. With a bot token the channel gets ONE message per
 * deploy, "Deploying ..." updated in place with the result; with an incoming webhook (which
 * cannot edit what it posted) one message at the end. A failed notification is a warning unless
 * `slack-errors-fatal` is true.
 */







/** Slack did not take the result message and `slack-errors-fatal` is true. */
class SlackNotificationError extends Error {
    constructor(message) {
        super(message);
        this.name = 'SlackNotificationError';
    }
}
/**
 * The notifier for `settings`. When both a webhook and a bot token are set, only the bot token
 * is used: it can update its "Deploying ..." message in place, and posting the same result
 * through the webhook too would put it in the channel twice.
 */
function createNotifier(settings, deps = {}) {
    const policy = { ...retrying_fetch/* DEFAULT_RETRY_POLICY */.cO, ...deps.retry };
    if (settings.botToken) {
        if (!settings.channel) {
            throw new Error("Invalid input 'slack-channel': expected a channel ID when 'slack-bot-token' is set");
        }
        const api = new SlackWebApi(settings.botToken, policy, deps.env);
        return new BotNotifier(settings, settings.channel, api);
    }
    if (settings.webhookUrl)
        return new WebhookNotifier(settings, settings.webhookUrl, policy);
    return { start: async () => undefined, finish: async () => ({ sent: false }) };
}
class WebhookNotifier {
    settings;
    url;
    policy;
    constructor(settings, url, policy) {
        this.settings = settings;
        this.url = url;
        this.policy = policy;
    }
    async start() {
        // A webhook cannot edit what it posted: a start message would be a second message.
    }
    async finish(report) {
        if (!shouldNotify(this.settings.notifyOn, report.status))
            return skipped(this.settings);
        const message = buildSlackMessage(report, messageOptions(this.settings));
        return core/* group */.Os('Notifying Slack', async () => {
            try {
                // @slack/webhook (and its HTTP client) loads only when a webhook message is sent.
                const { sendToWebhook } = await __webpack_require__.e(/* import() */ 89).then(__webpack_require__.bind(__webpack_require__, 5089));
                await sendToWebhook(this.url, message, this.policy);
                core/* info */.pq('Slack message sent');
                return { sent: true };
            }
            catch (error) {
                return failed(this.settings, report, (0,retrying_fetch/* describeNetworkError */.gl)(error));
            }
        });
    }
}
class BotNotifier {
    settings;
    channel;
    api;
    posted;
    constructor(settings, channel, api) {
        this.settings = settings;
        this.channel = channel;
        this.api = api;
    }
    async start(deploy) {
        // Only `always` is sure to announce the result; under `failure` or `success` nobody knows
        // yet whether there will be a result message, and a "Deploying ..." left alone is noise.
        if (this.settings.notifyOn !== 'always')
            return;
        await core/* group */.Os('Notifying Slack: deploying', async () => {
            try {
                this.posted = await this.api.postMessage(this.channel, buildDeployingMessage(deploy));
                core/* info */.pq(`Slack message posted to ${this.posted.channel} (ts ${this.posted.ts})`);
            }
            catch (error) {
                // A warning even with slack-errors-fatal: the result is then posted as a new message,
                // and that is the notification which counts (and fails the step if it fails too).
                core/* warning */.$e(`the Slack "Deploying" message failed, the result will be posted as a new message: ${(0,retrying_fetch/* describeNetworkError */.gl)(error)}`);
            }
        });
    }
    async finish(report) {
        if (!shouldNotify(this.settings.notifyOn, report.status))
            return skipped(this.settings);
        const message = buildSlackMessage(report, messageOptions(this.settings));
        return core/* group */.Os('Notifying Slack', async () => {
            try {
                const posted = await this.send(message);
                core/* info */.pq(`Slack message ${this.posted ? 'updated' : 'posted'} in ${posted.channel} (ts ${posted.ts})`);
                return { sent: true, ts: posted.ts, channel: posted.channel };
            }
            catch (error) {
                return failed(this.settings, report, (0,retrying_fetch/* describeNetworkError */.gl)(error));
            }
        });
    }
    /** Updates the start message in place; posts anew when there is none or it cannot be updated. */
    async send(message) {
        if (this.posted) {
            try {
                return await this.api.update(this.posted.channel, this.posted.ts, message);
            }
            catch (error) {
                // E.g. the message was deleted meanwhile: the result must still reach the channel. After
                // a timeout the update may have landed, but a second message beats a stale "Deploying".
                core/* info */.pq(`could not update the Slack message (${(0,remote_text/* oneLine */.TN)((0,retrying_fetch/* describeNetworkError */.gl)(error))}); posting a new one`);
                this.posted = undefined;
            }
        }
        return this.api.postMessage(this.channel, message);
    }
}
function messageOptions(settings) {
    return { secrets: settings.secrets };
}
function skipped(settings) {
    core/* info */.pq(`Slack not notified: notify-on is '${settings.notifyOn}'`);
    return { sent: false };
}
function failed(settings, report, reason) {
    if (settings.errorsFatal) {
        throw new SlackNotificationError(`the Slack notification failed: ${reason} (the deploy itself ${report.status === 'success' ? 'succeeded' : 'failed'}; 'slack-errors-fatal' is true, so the step fails)`);
    }
    core/* warning */.$e(`the Slack notification failed (the deploy result is unchanged): ${reason}`);
    return { sent: false };
}

// EXTERNAL MODULE: ./src/deploy/deadlines.ts
var deadlines = __webpack_require__(4466);
// EXTERNAL MODULE: ./src/registry/digitalocean.ts
var digitalocean = __webpack_require__(3441);
;// CONCATENATED MODULE: ./src/report/deploy-report.ts
/** Sums up host results (or an error that stopped the run before any host). */
function buildReport(context, startedAt, targets, hosts, runError, dryRun = false) {
    const failed = hosts.find((host) => host.status === 'failure');
    const status = !runError && hosts.length > 0 && hosts.every((host) => host.status === 'success')
        ? 'success'
        : 'failure';
    return {
        status,
        rolledBack: hosts.some((host) => host.rolledBack),
        targets,
        hosts,
        failedStep: runError?.step ?? (failed ? `${failed.host}: ${failed.failedStep}` : undefined),
        error: runError?.message ?? failed?.error,
        startedAt,
        durationMs: Date.now() - startedAt.getTime(),
        context,
        dryRun,
        ...(hosts.some((host) => host.releaseCommandFailed) ? { releaseCommandFailed: true } : {}),
    };
}

;// CONCATENATED MODULE: ./src/report/outputs.ts
/** The step outputs of a run. */

/** Sets `status`, `rolled-back`, `duration` and `images`. */
function setOutputs(report) {
    core/* setOutput */.uH('status', report.status);
    core/* setOutput */.uH('rolled-back', String(report.rolledBack));
    core/* setOutput */.uH('duration', String(Math.round(report.durationMs / 1000)));
    const images = Object.fromEntries(report.hosts.map((host) => [
        host.host,
        Object.fromEntries(host.images.map((image) => [
            image.service,
            { image: image.image, id: image.id, digest: image.digest || null },
        ])),
    ]));
    core/* setOutput */.uH('images', JSON.stringify(images));
}

;// CONCATENATED MODULE: ./src/report/summary-text.ts
/**
 * Text in the job summary, escaped for where it goes. GitHub renders the summary as Markdown in
 * which a line that starts with a tag opens an HTML block, and a blank line ends it: what
 * follows is Markdown again, where `[click](https://...)` is a live link. So a text that came
 * from a host, a container or an input must not only be HTML-escaped but also kept on one line
 * wherever it sits in a table or a paragraph, and hold nothing Markdown would read as syntax.
 */

/** Escapes text for HTML, in element content and in quoted attributes alike. */
function html(text) {
    return text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');
}
/** The longest text a table cell or a paragraph shows of one value from elsewhere. */
const INLINE_LIMIT = 200;
/**
 * HTML's special characters, and the punctuation of Markdown's links and images: as character
 * references they show as themselves, and Markdown never reads a reference as syntax.
 */
const SPECIAL = /[&<>"'[\]()!]/g;
/**
 * `text` for a table cell or a one-line HTML paragraph: line breaks and control characters
 * shown escaped (`\n`), at most `limit` characters, HTML-escaped, the brackets of links and
 * images as character references; it can end no HTML block and start no link, image or tag.
 */
function inlineHtml(text, limit = INLINE_LIMIT) {
    const chars = Array.from((0,remote_text/* oneLine */.TN)(text));
    const clipped = chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : chars.join('');
    return clipped.replace(SPECIAL, (char) => /[&<>"']/.test(char) ? html(char) : `&#${char.charCodeAt(0)};`);
}

;// CONCATENATED MODULE: ./src/report/summary.ts
/**
 * The job summary of a run: a row per host, what runs there, and the recent deploys. Every
 * text in it that came from a host, a container or an input is escaped for where it goes
 * (see summary-text.ts): a container's log line such as `<img src=x onerror=...>` shows as
 * text, and a history line holding `\n\n[click](https://...)` cannot end the table.
 */



/** A list of names (`.env` keys, services) is longer than one value. */
const LIST_LIMIT = 4000;
const header = (cells) => cells.map((data) => ({ data, header: true }));
/** Writes the job summary, when the runner gives a file for it. */
async function writeSummary(report) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const summary = core/* summary */.z.addHeading(title(report), 2);
    addFacts(summary, report);
    if (report.hosts.length > 0)
        addHosts(summary, report.hosts);
    addStacks(summary, report.hosts);
    addRollouts(summary, report.hosts);
    for (const host of report.hosts) {
        if (!host.dryRun)
            continue;
        const { added, changed, removed } = host.dryRun;
        const list = (keys) => inlineHtml(keys.join(', ') || 'none', LIST_LIMIT);
        if (host.dryRun.stack) {
            const plan = host.dryRun.stack;
            summary.addRaw(`<p><b>${inlineHtml(host.host)}</b>: services created: ${list(plan.create)}; updated: ${list(plan.update)}; removed: ${list(plan.remove)}</p>`, true);
        }
        summary.addRaw(`<p><b>${inlineHtml(host.host)}</b>: .env keys added: ${list(added)}; changed: ${list(changed)}; removed: ${list(removed)}</p>`, true);
    }
    if (report.error)
        summary.addRaw(`<pre><code>${html(report.error)}</code></pre>`, true);
    addHistory(summary, report.hosts);
    await summary.write();
}
function title(report) {
    const icon = report.dryRun
        ? '🔍'
        : report.status === 'success'
            ? '✅'
            : report.rolledBack
                ? '↩️'
                : '❌';
    const text = report.dryRun
        ? `dry run: ${report.status === 'success' ? 'every check passed, nothing changed' : 'a check failed'}`
        : report.releaseCommandFailed
            ? `${report.status} (release command failed, nothing switched)`
            : `${report.status}${report.rolledBack ? ' (rolled back)' : ''}`;
    return `${icon} monarch-deploy: ${text}`;
}
function addFacts(summary, report) {
    const ctx = report.context;
    summary.addRaw(`Commit <code>${inlineHtml(ctx.sha.slice(0, 7) || 'unknown')}</code> by ${inlineHtml(ctx.actor || 'unknown')}, ` +
        `started ${report.startedAt.toISOString()}, took ${Math.round(report.durationMs / 1000)} s` +
        (ctx.runUrl ? ` (<a href="${html(ctx.runUrl)}">run</a>)` : ''), true);
}
function addHosts(summary, hosts) {
    const images = (host) => host.images
        .map((image) => {
        const digest = image.digest
            ? `<br><code>${inlineHtml(image.digest.split('@')[1] ?? image.digest)}</code>`
            : '';
        return `${inlineHtml(image.service)}: <code>${inlineHtml(image.image)}</code>${digest}`;
    })
        .join('<br>') || '-';
    summary.addTable([
        header(['Host', 'Result', 'Images', 'Rolled back', 'Duration']),
        ...hosts.map((host) => [
            inlineHtml(host.host),
            host.status === 'failure' ? `failure at ${inlineHtml(host.failedStep ?? '?')}` : host.status,
            images(host),
            host.rolledBack ? 'yes' : host.releaseCommandFailed ? 'no (nothing switched)' : 'no',
            `${Math.round(host.durationMs / 1000)} s`,
        ]),
    ]);
}
/** `mode: swarm`: per service, its replicas, the nodes its tasks run on, its image and digest. */
function addStacks(summary, hosts) {
    for (const host of hosts) {
        if (!host.stack || host.stack.services.length === 0)
            continue;
        summary.addHeading(`Stack ${inlineHtml(host.stack.name)} (manager ${inlineHtml(host.host)})`, 3);
        summary.addTable([
            header(['Service', 'Replicas', 'Nodes', 'Image']),
            ...host.stack.services.map((service) => [
                inlineHtml(service.name),
                inlineHtml(`${service.running}/${service.desired}`),
                inlineHtml(service.nodes.join(', ') || '-', LIST_LIMIT),
                `<code>${inlineHtml(service.image)}</code>` +
                    (service.digest ? `<br><code>${inlineHtml(service.digest)}</code>` : ''),
            ]),
        ]);
    }
}
/** `mode: compose` with start-first services: how each service was rolled, and the overlap. */
function addRollouts(summary, hosts) {
    const rolled = hosts.filter((host) => host.rollouts?.length);
    if (rolled.length === 0)
        return;
    summary.addHeading('How services were rolled', 3);
    summary.addTable([
        header(['Host', 'Service', 'Rolled', 'Old and new side by side']),
        ...rolled.flatMap((host) => (host.rollouts ?? []).map((rollout) => [
            html(host.host),
            html(rollout.service),
            rollout.order === 'start-first' ? 'start-first' : 'recreate (up -d)',
            rollout.order === 'recreate'
                ? '-'
                : rollout.overlapSeconds === null
                    ? 'first start'
                    : `${rollout.overlapSeconds} s`,
        ])),
    ]);
}
function addHistory(summary, hosts) {
    const withHistory = hosts.filter((host) => host.history.length > 0);
    if (withHistory.length === 0)
        return;
    summary.addHeading('Recent deploys', 3);
    summary.addTable([
        header(['Host', 'Time', 'Commit', 'By', 'Result']),
        ...withHistory.flatMap((host) => [...host.history]
            .reverse()
            .map((entry) => [
            inlineHtml(host.host),
            inlineHtml(String(entry.time)),
            `<code>${inlineHtml(String(entry.commit).slice(0, 7))}</code>`,
            inlineHtml(String(entry.actor)),
            `${inlineHtml(String(entry.result))}${entry.rolledBack === true ? ' (rolled back)' : ''}`,
        ])),
    ]);
}

;// CONCATENATED MODULE: ./src/main.ts
/** The main step: inputs -> deploy each host -> notify -> outputs and summary. */










/** Runs the deploy; the one error boundary of the main step. */
async function run() {
    const startedAt = new Date();
    const context = getRunContext();
    const listeners = {
        notifier: createNotifier({ notifyOn: 'never', errorsFatal: false }),
        deployment: createDeploymentTracker({ token: '' }, context),
        target: {},
    };
    let report;
    let invalidInputs = [];
    try {
        const inputs = await readInputs(listeners);
        listeners.target = {
            environment: inputs.environment,
            environmentUrl: inputs.environmentUrl,
            ...(inputs.stack
                ? { stack: { name: inputs.stack.name, services: inputs.stack.services.length } }
                : {}),
        };
        listeners.notifier = createNotifier(inputs.slack);
        await announce(inputs, listeners, context, startedAt);
        // The deploy engine (SSH among it) loads once the inputs are known to be good.
        const { deployAll } = await Promise.all(/* import() */[__webpack_require__.e(472), __webpack_require__.e(605), __webpack_require__.e(667)]).then(__webpack_require__.bind(__webpack_require__, 7667));
        const results = await deployAll(await withDigitalOceanLogin(inputs), context);
        report = {
            ...buildReport(context, startedAt, inputs.hosts, results, undefined, inputs.dryRun),
            ...listeners.target,
        };
    }
    catch (error) {
        const inputError = error instanceof inputs/* InputError */.dz || error instanceof inputs/* InvalidInputs */.hS;
        if (!inputError && error instanceof Error && error.stack)
            core/* debug */.Yz(error.stack);
        if (error instanceof inputs/* InvalidInputs */.hS)
            invalidInputs = error.errors.map((e) => e.message);
        const step = inputError ? 'Reading inputs' : 'Running';
        const message = error instanceof Error ? error.message : String(error);
        report = { ...buildReport(context, startedAt, [], [], { step, message }), ...listeners.target };
    }
    await finish(report, listeners, invalidInputs);
}
/** The inputs; when they are invalid, Slack (read leniently) still hears of it. */
async function readInputs(listeners) {
    try {
        return await (0,inputs/* getInputs */.GP)();
    }
    catch (error) {
        // A refused MONARCH_SLACK_API_URL refuses this notifier too: then Slack hears nothing.
        try {
            listeners.notifier = createNotifier((0,inputs/* readSlackSettings */.K3)());
        }
        catch (refused) {
            core/* debug */.Yz(`no Slack notification of the invalid inputs: ${String(refused)}`);
        }
        throw error;
    }
}
/** Starts the GitHub deployment (not for a dry run) and posts "Deploying" to Slack. */
async function announce(inputs, listeners, context, startedAt) {
    if (!inputs.dryRun) {
        listeners.deployment = createDeploymentTracker({ token: inputs.githubToken, ...listeners.target }, context);
        const id = await listeners.deployment.start();
        if (id !== undefined)
            core/* setOutput */.uH('deployment-id', String(id));
    }
    await listeners.notifier.start({
        context,
        targets: inputs.hosts,
        startedAt,
        ...listeners.target,
    });
}
/**
 * Outputs, the job summary, the deployment's status, Slack, and the step's result: with several
 * `invalidInputs`, one annotation each (the report's error lists them all).
 */
async function finish(report, listeners, invalidInputs) {
    setOutputs(report);
    await writeSummary(report).catch((error) => core/* warning */.$e(`could not write the job summary: ${String(error)}`));
    await listeners.deployment.finish(report);
    try {
        const slack = await listeners.notifier.finish(report);
        if (slack.ts)
            core/* setOutput */.uH('slack-ts', slack.ts);
    }
    catch (error) {
        // Only with slack-errors-fatal: true.
        core/* setFailed */.C1(error instanceof Error ? error.message : String(error));
    }
    if (report.status === 'failure') {
        if (invalidInputs.length > 1) {
            for (const message of invalidInputs)
                core/* error */.z3(message);
            // What core.setFailed sets, without its annotation (each input has its own). Not
            // core.ExitCode: @github/local-action's stand-in for @actions/core has no such export.
            process.exitCode = 1;
        }
        else
            core/* setFailed */.C1(report.error ?? 'the deploy failed');
        return;
    }
    const verb = report.dryRun ? 'checked (dry run, nothing changed):' : 'deployed to';
    const hosts = report.hosts.map((host) => host.host).join(', ');
    core/* info */.pq(`${verb} ${hosts} in ${Math.round(report.durationMs / 1000)} s`);
}
/**
 * With `digitalocean-token`, asks DigitalOcean (from the runner) for short-lived read-only
 * registry credentials, so the full-scope API token never reaches a droplet.
 */
async function withDigitalOceanLogin(inputs) {
    const digitalOcean = inputs.digitalOcean;
    if (!digitalOcean)
        return inputs;
    const seconds = (0,deadlines/* registryLoginSeconds */.ol)(inputs);
    const login = await core/* group */.Os('Getting short-lived registry credentials from DigitalOcean', async () => {
        const answer = await (0,digitalocean/* fetchDigitalOceanRegistryLogin */.LU)(digitalOcean.token, seconds);
        core/* info */.pq(`read-only credentials for ${digitalOcean.registry}, valid ${seconds} s`);
        return answer;
    });
    return { ...inputs, registry: { ...login, server: digitalOcean.registry } };
}


/***/ }),

/***/ 2350:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DH: () => (/* binding */ RequestTimeoutError),
/* harmony export */   J5: () => (/* binding */ fetchWithRetry),
/* harmony export */   cO: () => (/* binding */ DEFAULT_RETRY_POLICY),
/* harmony export */   gl: () => (/* binding */ describeNetworkError)
/* harmony export */ });
/* unused harmony export retryAfterMs */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4116);
/* harmony import */ var _http_bounded_body_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5242);
/**
 * `fetch` with the retries Slack asks of its clients: on HTTP 429 wait what `Retry-After` says
 * (capped), on a 5xx or a connection that failed back off exponentially; a bounded number of
 * attempts, each with its own timeout. The webhook and the Web API client share it so both
 * behave alike.
 */


/** 3 attempts, 1 s then 2 s apart (or what a 429 asks, at most 30 s), 10 s each. */
const DEFAULT_RETRY_POLICY = {
    attempts: 3,
    baseDelayMs: 1_000,
    maxRetryAfterMs: 30_000,
    timeoutMs: 10_000,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    // Looked up at call time, so a fetch replaced after start-up (a proxy agent) is used.
    fetch: (input, init) => fetch(input, init),
};
/** The server did not answer in time; not retried, as the request may have been acted on. */
class RequestTimeoutError extends Error {
    constructor(label, timeoutMs) {
        super(`${label}: no answer within ${seconds(timeoutMs)}`);
        this.name = 'RequestTimeoutError';
    }
}
/**
 * Sends the request, retrying as the policy says. Resolves to the last response, whatever its
 * status (the caller turns a 4xx or 5xx into its own error), its body already read (at most
 * `MAX_RESPONSE_BYTES`: a larger one rejects with `ResponseTooLargeError`, not retried);
 * rejects when no response came.
 * `label` names the endpoint in log lines and errors (never the URL: a webhook URL is a secret).
 */
async function fetchWithRetry(label, url, init, policy) {
    const send = (0,_http_bounded_body_js__WEBPACK_IMPORTED_MODULE_1__/* .boundedFetch */ .A)(policy.fetch, label);
    for (let attempt = 1;; attempt += 1) {
        const last = attempt >= policy.attempts;
        const timeout = AbortSignal.timeout(policy.timeoutMs);
        let response;
        try {
            response = await send(url, {
                ...init,
                signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
            });
        }
        catch (error) {
            if (timeout.aborted)
                throw new RequestTimeoutError(label, policy.timeoutMs);
            if (last || init.signal?.aborted || error instanceof _http_bounded_body_js__WEBPACK_IMPORTED_MODULE_1__/* .ResponseTooLargeError */ .by)
                throw error;
            const delay = backoff(policy, attempt);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${label}: ${describeNetworkError(error)}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.attempts})`);
            await policy.sleep(delay);
            continue;
        }
        const retryable = response.status === 429 || response.status >= 500;
        if (!retryable || last)
            return response;
        const delay = response.status === 429
            ? Math.min(retryAfterMs(response.headers.get('retry-after')) ?? backoff(policy, attempt), policy.maxRetryAfterMs)
            : backoff(policy, attempt);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`${label}: HTTP ${response.status}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.attempts})`);
        await policy.sleep(delay);
    }
}
/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(header, now = Date.now()) {
    if (header === null || header.trim() === '')
        return undefined;
    if (/^\d+$/.test(header.trim()))
        return Number(header.trim()) * 1000;
    // An HTTP date names its month; Date.parse alone would read "-3" as a year.
    if (!/[A-Za-z]/.test(header))
        return undefined;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/** What a failed `fetch` says, with its cause (undici hides the reason there). */
function describeNetworkError(error) {
    if (!(error instanceof Error))
        return String(error);
    const cause = error.cause instanceof Error ? error.cause.message : '';
    return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}
function backoff(policy, attempt) {
    return policy.baseDelayMs * 2 ** (attempt - 1);
}
function seconds(ms) {
    return `${Math.round(ms / 100) / 10} s`;
}


/***/ }),

/***/ 9363:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ProxyAgent: () => (/* binding */ ProxyAgent),
/* harmony export */   fetch: () => (/* binding */ fetch),
/* harmony export */   loadUndici: () => (/* binding */ loadUndici)
/* harmony export */ });
let real;
/** Loads the real undici; `ProxyAgent` and `fetch` work once this has resolved. */
async function loadUndici() {
    real ??= (await __webpack_require__.e(/* import() */ 752).then(__webpack_require__.t.bind(__webpack_require__, 4371, 19)));
}
function loaded() {
    if (!real)
        throw new Error('undici used before loadUndici()');
    return real;
}
class ProxyAgent {
    constructor(...args) {
        return new (loaded().ProxyAgent)(...args);
    }
}
const fetch = (...args) => loaded().fetch(...args);


/***/ })

};
