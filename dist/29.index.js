export const id = 29;
export const ids = [29];
export const modules = {

/***/ 2516:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Id: () => (/* binding */ InvalidTemplateError),
/* harmony export */   V2: () => (/* binding */ substitute),
/* harmony export */   wc: () => (/* binding */ RequiredVariableError)
/* harmony export */ });
/**
 * `$VAR` and `${VAR...}` in a `.env` value, substituted as docker compose v2 does (compose-go's
 * `template.Substitute`): `$$` is a literal `$`; `$NAME` and `${NAME}`; the operators `:-`, `-`,
 * `:+`, `+`, `:?` and `?`, whose argument is itself substituted, and only when it is used; a `$`
 * that starts nothing (`$1`, `a $ b`, a trailing `$`) stays as it is; a `${` that is not a
 * valid expression is an error.
 */
/** A `${...}` that is not a valid expression. */
class InvalidTemplateError extends Error {
    constructor() {
        super('invalid template');
        this.name = 'InvalidTemplateError';
    }
}
/** `${NAME:?...}` or `${NAME?...}` with NAME unset (or empty, for `:?`). */
class RequiredVariableError extends Error {
    variable;
    constructor(variable) {
        super(`required variable ${variable} is missing a value`);
        this.variable = variable;
        this.name = 'RequiredVariableError';
    }
}
const NAME = '[_a-zA-Z][_a-zA-Z0-9]*';
/** compose-go's pattern; `[^\n]` where Go writes `.` (which matches all but a newline). */
const PATTERN = new RegExp(`\\$(?:(\\$)|(${NAME})|\\{(?:(${NAME}(?::?[-+?]([^\\n]*))?)\\}|()))`, 'g');
const OPERATORS = [':?', '?', ':-', '-', ':+', '+'];
/** `template` with every variable substituted; throws the errors above. */
function substitute(template, variables) {
    return template.replace(PATTERN, (match) => replaceMatch(match, variables));
}
function replaceMatch(whole, variables) {
    const operator = firstOperator(whole);
    // The braced form's greedy argument may reach the line's last `}`: what lies after the
    // `}` that closes this expression is substituted on its own.
    const close = closingBrace(whole);
    const match = close >= 0 ? whole.slice(0, close + 1) : whole;
    const rest = close >= 0 ? whole.slice(close + 1) : '';
    const groups = new RegExp(PATTERN.source).exec(match);
    if (!groups || groups[1] !== undefined)
        return '$';
    if (groups[2] !== undefined)
        return valueOf(groups[2], variables);
    const braced = groups[3];
    if (braced === undefined)
        throw new InvalidTemplateError();
    if (operator && braced.includes(operator)) {
        const at = braced.indexOf(operator);
        const name = braced.slice(0, at);
        const argument = braced.slice(at + operator.length);
        return apply(operator, name, argument, variables) + substitute(rest, variables);
    }
    return valueOf(braced, variables);
}
function valueOf(name, variables) {
    const value = variables.lookup(name);
    if (value === undefined)
        variables.onUnset(name);
    return value ?? '';
}
function apply(operator, name, argument, variables) {
    const value = variables.lookup(name);
    const set = value !== undefined;
    const nonEmpty = set && value !== '';
    const orArgument = (use, otherwise) => use ? substitute(argument, variables) : otherwise;
    switch (operator) {
        case ':-':
            return nonEmpty ? value : substitute(argument, variables);
        case '-':
            return set ? value : substitute(argument, variables);
        case ':+':
            return orArgument(nonEmpty, '');
        case '+':
            return orArgument(set, '');
        case ':?':
            if (!nonEmpty)
                throw new RequiredVariableError(name);
            return value;
        case '?':
            if (!set)
                throw new RequiredVariableError(name);
            return value;
    }
}
/** The operator that occurs first in `text`, if any. */
function firstOperator(text) {
    let best;
    let bestAt = Infinity;
    for (const operator of OPERATORS) {
        const at = text.indexOf(operator);
        if (at >= 0 && at < bestAt)
            [best, bestAt] = [operator, at];
    }
    return best;
}
/**
 * The index of the `}` that closes the expression, counted as compose-go counts: each `{` opens
 * one more level (and the character after it is skipped), each `}` closes one; -1 if none does.
 */
function closingBrace(text) {
    let open = 0;
    for (let i = 0; i < text.length; i++) {
        if (text[i] === '}') {
            open--;
            if (open === 0)
                return i;
        }
        if (text[i] === '{') {
            open++;
            i++;
        }
    }
    return -1;
}


/***/ }),

/***/ 6788:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  v: () => (/* binding */ parseEnv)
});

// UNUSED EXPORTS: EnvSyntaxError

;// CONCATENATED MODULE: ./src/env/characters.ts
/**
 * The character classes of compose-go's `.env` parser, exactly (JavaScript's `\s` is not one of
 * them), and the escapes of its double-quoted values.
 */
/** Go's `unicode.IsSpace`: skipped between statements, trimmed off keys and unquoted values. */
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** compose-go's `isSpace`: the same without the newline (a key or a value never spans one). */
const LINE_SPACE = /[\t\v\f\r \u0085\u00a0]/;
/** Is `char` a space between statements (newlines included)? */
function isSpace(char) {
    return UNICODE_SPACE.test(char);
}
/** Is `char` a space within a line? */
function isLineSpace(char) {
    return LINE_SPACE.test(char);
}
/** What may appear in a key as compose reads it (letters, numbers, `_ . - [ ]`). */
function isKeyChar(char) {
    return /^[\p{L}\p{N}_.[\]-]$/u.test(char);
}
/** `text` without the Unicode spaces at its end. */
function trimEnd(text) {
    let end = text.length;
    while (end > 0 && isSpace(text[end - 1]))
        end--;
    return text.slice(0, end);
}
const ESCAPES = {
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\\': '\\',
    '"': '"',
    // Kept for the substitution after, which turns `$$` into one `$`.
    $: '$$',
    c: '\\c',
};
/**
 * Decodes the escapes of a double-quoted value as compose-go does, before substitution:
 * `\a \b \f \n \r \t \v \\ \" \$`, and `\0` followed by three octal digits (a code up to 255);
 * `\0` followed by other digits loses its `0`; every other backslash stays as it is.
 */
function decodeEscapes(text) {
    return text.replace(/\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g, (match) => {
        if (match[1] !== '0')
            return ESCAPES[match[1]];
        const digits = match.slice(2);
        if (/^[0-7]{3}$/.test(digits) && parseInt(digits, 8) <= 255)
            return String.fromCharCode(parseInt(digits, 8));
        return `\\${digits}`;
    });
}

// EXTERNAL MODULE: ./src/env/interpolate.ts
var interpolate = __webpack_require__(2516);
// EXTERNAL MODULE: ./src/env/render.ts
var render = __webpack_require__(5691);
;// CONCATENATED MODULE: ./src/env/parse.ts



/** Text that is not a `.env` file; the message names the line (and the key when it is one). */
class EnvSyntaxError extends Error {
    constructor(line, message) {
        super(`line ${line}: ${message}`);
        this.name = 'EnvSyntaxError';
    }
}
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEREDOC = /^(?:export[ \t]+)?([^\s=:<]+)<<([A-Za-z0-9_-]+)[ \t\r]*$/;
const EXPORT = /^export[\t\n\f\r ]+/;
const NOT_A_NAME = "expected a variable name (letters, digits and _, not starting with a digit) before '='; " +
    'a value that goes on over several lines must be quoted, or written as NAME<<EOF ... EOF';
const QUOTE_IT = "quote it ('...' keeps it as written) or write it as NAME<<EOF ... EOF to keep it verbatim";
/** Reads `text` as a `.env` file; throws `EnvSyntaxError` for what compose would not read. */
function parseEnv(text) {
    return new EnvParser(text).parse();
}
class EnvParser {
    text;
    pos;
    line = 1;
    values = new Map();
    setOn = new Map();
    vars = [];
    notes = [];
    constructor(text) {
        this.text = text;
        this.pos = text.startsWith('\ufeff') ? 1 : 0;
    }
    parse() {
        while (this.nextStatement()) {
            const line = this.line;
            if (!this.heredoc(line))
                this.assignment(line);
        }
        return { vars: this.vars, notes: this.notes };
    }
    /** Moves to `to`, counting the lines passed. */
    advance(to) {
        for (let i = this.pos; i < to; i++)
            if (this.text[i] === '\n')
                this.line++;
        this.pos = to;
    }
    lineEnd(from = this.pos) {
        const end = this.text.indexOf('\n', from);
        return end < 0 ? this.text.length : end;
    }
    /** Skips spaces, blank lines and `#` comments; false at the end of the text. */
    nextStatement() {
        for (;;) {
            let at = this.pos;
            while (at < this.text.length && isSpace(this.text[at]))
                at++;
            this.advance(at);
            if (at >= this.text.length)
                return false;
            if (this.text[at] !== '#')
                return true;
            this.advance(this.lineEnd());
        }
    }
    /** `NAME<<DELIMITER`, the lines up to one that is `DELIMITER` alone: the value verbatim. */
    heredoc(line) {
        const match = HEREDOC.exec(this.text.slice(this.pos, this.lineEnd()));
        if (!match)
            return false;
        const [, key, delimiter] = match;
        if (!NAME.test(key))
            throw new EnvSyntaxError(line, NOT_A_NAME);
        const lines = [];
        let at = this.lineEnd() + 1;
        for (;;) {
            if (at > this.text.length)
                throw new EnvSyntaxError(line, `${key}<<${delimiter} has no closing line ${delimiter}`);
            const end = this.lineEnd(at);
            const content = this.text.slice(at, end);
            at = end + 1;
            if (content.replace(/\r$/, '') === delimiter)
                break;
            lines.push(content);
        }
        this.advance(Math.min(at, this.text.length));
        this.assign(key, lines.join('\n'), line);
        return true;
    }
    /** `NAME=value` (or `NAME: value`), optionally after `export `. */
    assignment(line) {
        const key = this.key(line);
        let at = this.pos + 1;
        while (at < this.text.length && isLineSpace(this.text[at]))
            at++;
        this.advance(at);
        const quote = this.text[at];
        const value = quote === "'" || quote === '"' ? this.quoted(key, line) : this.unquoted(key, line);
        this.assign(key, value, line);
    }
    /** The key, up to its `=` or `:` (where it leaves `pos`). */
    key(line) {
        const exported = EXPORT.exec(this.text.slice(this.pos, this.pos + 16));
        if (exported) {
            let at = this.pos + 'export'.length;
            while (at < this.text.length && isLineSpace(this.text[at]))
                at++;
            this.advance(at);
        }
        const start = this.pos;
        let at = start;
        while (at < this.text.length) {
            const char = String.fromCodePoint(this.text.codePointAt(at));
            if (char === '=' || char === ':')
                break;
            if (char === '\n')
                break;
            if (!isLineSpace(char) && !isKeyChar(char))
                throw new EnvSyntaxError(line, NOT_A_NAME);
            at += char.length;
        }
        const key = trimEnd(this.text.slice(start, at));
        if (at >= this.text.length || this.text[at] === '\n')
            throw bareKey(line, key);
        if (!NAME.test(key))
            throw new EnvSyntaxError(line, NOT_A_NAME);
        this.pos = at;
        return key;
    }
    unquoted(key, line) {
        const end = this.lineEnd();
        const raw = this.text.slice(this.pos, end);
        this.advance(Math.min(end + 1, this.text.length));
        const comment = raw.indexOf(' #');
        const uncommented = comment >= 0 ? raw.slice(0, comment) : raw;
        const value = trimEnd(uncommented);
        const trimmed = uncommented.slice(value.length).replace(/\r$/, '') !== '';
        if (comment >= 0 || trimmed || value.includes('$')) {
            this.note(line, key, `read as compose reads an unquoted value (an inline comment, $ or trailing spaces change it): ${QUOTE_IT}`);
        }
        return this.substitute(key, value, line);
    }
    /** A quoted value, as compose scans it: a backslash before the quote keeps the quote. */
    quoted(key, line) {
        const quote = this.text[this.pos];
        let chars = '';
        let escaped = false;
        for (let at = this.pos + 1; at < this.text.length; at++) {
            const char = this.text[at];
            if (char !== quote) {
                if (!escaped && char === '\\') {
                    escaped = true;
                    continue;
                }
                if (escaped)
                    chars += '\\';
                escaped = false;
                chars += char;
                continue;
            }
            if (escaped) {
                escaped = false;
                chars += quote;
                continue;
            }
            this.advance(at + 1);
            this.checkAfterQuote(key, line);
            return quote === "'" ? chars : this.substitute(key, decodeEscapes(chars), line);
        }
        const kind = quote === "'" ? 'single' : 'double';
        throw new EnvSyntaxError(line, `the ${kind} quote that starts the value of ${key} is never closed`);
    }
    /** Compose reads text after a closing quote as a new statement: say so unless it is a comment. */
    checkAfterQuote(key, line) {
        const rest = this.text.slice(this.pos, this.lineEnd()).trim();
        if (rest !== '' && !rest.startsWith('#')) {
            this.note(line, key, 'the text after its closing quote is read as another variable, as compose reads it');
        }
    }
    substitute(key, value, line) {
        const unset = new Set();
        try {
            const result = (0,interpolate/* substitute */.V2)(value, {
                lookup: (name) => this.values.get(name),
                onUnset: (name) => unset.add(name),
            });
            for (const name of unset) {
                this.note(line, key, `$${name} is not set earlier in env (the action has no other environment to take it from): it reads as an empty string`);
            }
            return result;
        }
        catch (error) {
            if (error instanceof interpolate/* RequiredVariableError */.wc) {
                throw new EnvSyntaxError(line, `${key} requires ${error.variable} (\${${error.variable}:?...}), which is not set, or empty, earlier in env`);
            }
            if (error instanceof interpolate/* InvalidTemplateError */.Id) {
                throw new EnvSyntaxError(line, `the value of ${key} has a \${ that starts no \${NAME}, \${NAME:-default} or the like (write $$ for a literal $)`);
            }
            throw error;
        }
    }
    assign(key, value, line) {
        const first = this.setOn.get(key);
        if (first !== undefined)
            throw new EnvSyntaxError(line, `${key} is already set on line ${first}`);
        if (value.includes('\0'))
            throw new EnvSyntaxError(line, `the value of ${key} contains a NUL byte`);
        this.setOn.set(key, line);
        this.values.set(key, value);
        if (key.startsWith('MONARCH_ENV_')) {
            // The helpers a rendered .env defines: accepted with their own value (a file the action
            // wrote, given back), never passed on as variables; any other use is refused.
            if (render/* HELPER_VALUES */.Os[key] === value)
                return;
            throw new EnvSyntaxError(line, 'names starting with MONARCH_ENV_ are reserved for the .env encoding');
        }
        this.vars.push({ key, value, line });
    }
    note(line, key, text) {
        this.notes.push({ line, key, text });
    }
}
/** A line without `=`: named only when it looks like a variable's name, not like a secret's line. */
function bareKey(line, text) {
    const named = /^[A-Z_][A-Z0-9_]{0,63}$/.test(text) ? `${text} ` : '';
    return new EnvSyntaxError(line, `${named}has no '=': write NAME= for an empty value (the action has no environment to take a bare NAME from); ` +
        'a value that goes on over several lines must be quoted, or written as NAME<<EOF ... EOF');
}


/***/ }),

/***/ 5691:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Os: () => (/* binding */ HELPER_VALUES),
/* harmony export */   mJ: () => (/* binding */ renderEnvFile)
/* harmony export */ });
/* unused harmony export HELPERS */
/** The variables the file may define for form 3, as written; the `env` input cannot use them. */
const HELPERS = {
    MONARCH_ENV_DOLLAR: `'$'`,
    MONARCH_ENV_BACKSLASH: '\\',
    MONARCH_ENV_QUOTE: `'"'`,
};
/** The values the helpers stand for (what compose reads them as). */
const HELPER_VALUES = {
    MONARCH_ENV_DOLLAR: '$',
    MONARCH_ENV_BACKSLASH: '\\',
    MONARCH_ENV_QUOTE: '"',
};
const SINGLE_UNSAFE = /'|\r|\\\\|\\$|\$\{/;
/** Renders the `.env` file. */
function renderEnvFile(vars) {
    const lines = vars.map(({ key, value }) => `${key}=${renderValue(value)}\n`);
    const needsHelpers = lines.some((line) => line.includes('${MONARCH_ENV_'));
    const helpers = needsHelpers
        ? Object.entries(HELPERS).map(([key, value]) => `${key}=${value}\n`)
        : [];
    return [...helpers, ...lines].join('');
}
function renderValue(value) {
    if (!SINGLE_UNSAFE.test(value))
        return `'${value}'`;
    const newlines = (text) => text.replace(/\n/g, '\\n').replace(/\r/g, '\\r');
    if (!value.includes('$') && !value.endsWith('\\')) {
        return `"${newlines(value.replace(/\\/g, '\\\\').replace(/"/g, '\\"'))}"`;
    }
    const spelled = value.replace(/[$\\"]/g, (char) => char === '$'
        ? '${MONARCH_ENV_DOLLAR}'
        : char === '\\'
            ? '${MONARCH_ENV_BACKSLASH}'
            : '${MONARCH_ENV_QUOTE}');
    return `"${newlines(spelled)}"`;
}


/***/ }),

/***/ 4201:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KO: () => (/* binding */ DOCKER_CONFIG_DIR),
/* harmony export */   R: () => (/* binding */ stackFilter),
/* harmony export */   Vg: () => (/* binding */ projectFilters),
/* harmony export */   WJ: () => (/* binding */ STACK_FILE),
/* harmony export */   aH: () => (/* binding */ layoutOf),
/* harmony export */   ak: () => (/* binding */ inAppDir),
/* harmony export */   k2: () => (/* binding */ STACK_IMAGES),
/* harmony export */   th: () => (/* binding */ STAGING_PREFIX)
/* harmony export */ });
/* harmony import */ var node_path_posix__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var node_path_posix__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path_posix__WEBPACK_IMPORTED_MODULE_0__);
/** Where a deploy keeps things on the droplet, all under the app directory. */

/** `dir` (a folder of `layout`) relative to app-dir, for the scripts that work from app-dir. */
function inAppDir(layout, dir) {
    return node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().relative(layout.appDir, dir);
}
/** The layout under `appDir` for the run `runId` (letters, digits, `-`). */
function layoutOf(appDir, runId) {
    const stateDir = node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(appDir, '.monarch');
    return {
        appDir,
        stateDir,
        stagingDir: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, `${STAGING_PREFIX}${runId}`),
        releaseDir: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, 'release'),
        rollbackImages: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, 'rollback-images'),
        lockFile: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, 'lock'),
        lockInfo: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, 'lock.info'),
        historyFile: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, 'history.log'),
        dockerConfigDir: node_path_posix__WEBPACK_IMPORTED_MODULE_0___default().join(stateDir, 'docker-config'),
        releaseContainer: `monarch-release-${runId}`,
    };
}
/** The start of every run's staging folder's name in the state folder (`staging-<run>`). */
const STAGING_PREFIX = 'staging-';
/** The rendered stack file (`mode: swarm`), in the staging folder and in app-dir (a `.monarch` name). */
const STACK_FILE = '.monarch-stack.yml';
/**
 * The stack's images, one per line, beside it: an image's name may hold `env` values (a tag, a
 * registry), so the scripts read it from this file, never from their command line.
 */
const STACK_IMAGES = '.monarch-stack-images';
/**
 * This run's docker config (its registry login) inside the staging folder: a `.monarch` name,
 * which no `files` entry may have, so it never meets one of the release's files.
 */
const DOCKER_CONFIG_DIR = '.monarch-docker-config';
/**
 * The docker filters for the service containers of the compose `project`, by compose's own
 * labels (one-off `run` containers left out).
 */
function projectFilters(project) {
    return [`label=com.docker.compose.project=${project}`, 'label=com.docker.compose.oneoff=False'];
}
/** The docker filter for the services of `stack` (Swarm labels each with its stack's name). */
function stackFilter(stack) {
    return `label=com.docker.stack.namespace=${stack}`;
}


/***/ }),

/***/ 6916:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ai: () => (/* binding */ prepareAppDir),
/* harmony export */   Rs: () => (/* binding */ DETECT_REPLIES),
/* harmony export */   ZU: () => (/* binding */ LOCK_REPLIES),
/* harmony export */   bj: () => (/* binding */ waitForMarker),
/* harmony export */   cW: () => (/* binding */ detectDocker),
/* harmony export */   dX: () => (/* binding */ COMPOSE),
/* harmony export */   hd: () => (/* binding */ composeCall),
/* harmony export */   jY: () => (/* binding */ composeHelper),
/* harmony export */   oV: () => (/* binding */ MARKER_REPLIES),
/* harmony export */   xH: () => (/* binding */ holdLock),
/* harmony export */   zC: () => (/* binding */ removeStaleStaging)
/* harmony export */ });
/* unused harmony export COMPOSE_FILE */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2951);
/* harmony import */ var _layout_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4201);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4175);
/* harmony import */ var _safe_files_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5180);
/* harmony import */ var _script_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4324);
/**
 * What a deploy does on the host before anything else: wait for the end of the first boot,
 * find docker and compose, create app-dir, and hold the deploy lock.
 */





/** The reply of `waitForMarker`: `waited=<seconds>`. */
const MARKER_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .replyKeys */ .x1)({ waited: 'waited' });
/**
 * Waits, on the host (no polling over the network), until `marker` exists, for at most
 * `seconds`; prints `waited=<seconds>`. Exits `markerTimeout` when it never appears.
 */
function waitForMarker(marker, seconds) {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_wait_for_marker', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `waited=0
while [ ! -e ${marker} ]; do
  if [ "$waited" -ge ${seconds} ]; then exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.markerTimeout}; fi
  sleep 1; waited=$((waited + 1))
done
echo "${MARKER_REPLIES.waited}=$waited"`);
}
/** Where the docker CLI looks for its plugins (the user's first), compose v2 among them. */
const PLUGIN_DIRS = [
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
];
/** Where the plugins of the user's docker CLI are. */
const USER_PLUGINS = '"${DOCKER_CONFIG:-${HOME:-/root}/.docker}/cli-plugins"';
/**
 * How the host scripts pick compose, without starting it (a compose start costs ~0.5 s with
 * v1): the v2 plugin where the docker CLI looks for it (the user's folder first), else
 * `docker-compose` on the PATH. Runs `v2` or `v1`, whichever is found, else falls through.
 */
function findCompose(v2, v1) {
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `for dir in ${new _shell_command_js__WEBPACK_IMPORTED_MODULE_4__/* .ShellCommand */ .oI(USER_PLUGINS)} ${PLUGIN_DIRS}; do
  if [ -x "$dir/docker-compose" ]; then ${v2}; fi
done
if command -v docker-compose >/dev/null 2>&1; then ${v1}; fi`;
}
/**
 * `monarch_compose ARGS...` runs compose as `detectDocker` chose it, found again on the host
 * the same way (`findCompose`): the commands that need compose are built before the host has
 * answered which one it has, and their channels open beside the lock's.
 */
function composeHelper() {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_compose', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${findCompose((0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `exec docker compose "$@"`, (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `exec docker-compose "$@"`)}
exec docker compose "$@"`);
}
/** How the host scripts call compose: through `composeHelper`. */
const COMPOSE = (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `monarch_compose`;
/** The compose file of a release, the one name every compose call gives (`composeCall`). */
const COMPOSE_FILE = 'docker-compose.yml';
/**
 * Every compose call of the host scripts: `<compose> --file docker-compose.yml --project-name
 * <project>`, its subcommand and arguments to follow (both flags go before the subcommand, as
 * v1 and v2 accept them). Run it in the folder of the release's file (app-dir, this run's
 * staging folder): compose reads that file alone, never one it would find by itself there (a
 * `docker-compose.override.yml` it merges in, a `compose.yaml` it prefers), and the `.env` of
 * that folder (its project directory is the file's). `compose`: `COMPOSE` (the helper), or the
 * dry run's `"$@"`.
 */
function composeCall(project, compose = COMPOSE) {
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${compose} --file ${COMPOSE_FILE} --project-name ${project}`;
}
/** The replies of `detectDocker` (`user=` also of `detectSwarm`). */
const DETECT_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .replyKeys */ .x1)({ user: 'user', compose: 'compose' });
/**
 * Prints `user=<name>` and `compose=docker compose` or `compose=docker-compose`, whichever the
 * host has (v2 preferred), as `findCompose` finds it; `docker compose version` is asked only
 * when neither is found. Exits `noDocker` when there is no docker or no compose.
 */
function detectDocker() {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_detect_docker', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `echo "${DETECT_REPLIES.user}=$(id -un)"
command -v docker >/dev/null 2>&1 || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.noDocker}
${findCompose((0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `echo "${DETECT_REPLIES.compose}=docker compose"; exit 0`, (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `echo "${DETECT_REPLIES.compose}=docker-compose"; exit 0`)}
if docker compose version >/dev/null 2>&1; then echo "${DETECT_REPLIES.compose}=docker compose"; exit 0; fi
exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.noDocker}`);
}
/**
 * Creates app-dir (mode 0700 when new) and its state folder (mode 0700), and checks that both
 * are real folders (not links) owned by the SSH user and writable by nobody else: otherwise
 * another user, or a container, could swap what the deploy works in (exit `unsafePath`).
 * Exits `notWritable` when app-dir cannot be made or written. Removes the copies of the
 * previous layout (`.monarch/previous`), which nothing reads any more.
 */
function prepareAppDir(layout) {
    const { appDir, stateDir } = layout;
    const owned = (dir, name) => (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `[ -L ${dir} ] && unsafe ${`${name} is a symbolic link`}
[ -d ${dir} ] || unsafe ${`${name} is not a folder`}
[ -O ${dir} ] || unsafe "${name} is not owned by $(id -un)"
[ -z "$(find ${dir} -maxdepth 0 \( -perm -020 -o -perm -002 \))" ] || unsafe ${`${name} is writable by other users (chmod go-w ${dir})`}`;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_prepare_app_dir', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${_safe_files_js__WEBPACK_IMPORTED_MODULE_2__/* .UNSAFE */ .Pk}
umask 077
if [ ! -e ${appDir} ] && [ ! -L ${appDir} ]; then mkdir -p -- ${appDir} 2>/dev/null || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.notWritable}; fi
${owned(appDir, appDir)}
[ -w ${appDir} ] || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.notWritable}
if [ ! -e ${stateDir} ] && [ ! -L ${stateDir} ]; then mkdir -- ${stateDir} 2>/dev/null || [ -d ${stateDir} ] || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.notWritable}; fi
${owned(stateDir, stateDir)}
chmod 700 ${stateDir} || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.notWritable}
rm -rf -- ${`${stateDir}/previous`}`);
}
/** Removes staging folders of runs that died more than a day ago. */
function removeStaleStaging(layout) {
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_remove_stale_staging', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `find ${layout.stateDir} -maxdepth 1 -name ${`${_layout_js__WEBPACK_IMPORTED_MODULE_0__/* .STAGING_PREFIX */ .th}*`} -mmin +1440 -exec rm -rf {} + 2>/dev/null
exit 0`);
}
/** The replies of a lock that waited or gave up (`holdLock`, and the swarm's lease). */
const LOCK_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .replyKeys */ .x1)({ lockWaited: 'lock_waited', holder: 'holder' });
/**
 * Takes the deploy lock (flock on the lock file), waiting up to `seconds` for another deploy;
 * records `holder` and the time in the lock info file; prints `lock_waited=<seconds>` if it
 * waited, then `READY_LINE`, and holds the lock until its standard input closes (the runner
 * releases it, or the connection drops and the host's kernel does). When it gives up it prints
 * `holder=<who holds it>` and exits `locked`; without flock it exits `noFlock`. A link at the
 * lock's name is `unsafe` (opening it would create or touch what it points to).
 */
function holdLock(layout, seconds, holder) {
    const { lockFile, lockInfo } = layout;
    return (0,_script_js__WEBPACK_IMPORTED_MODULE_3__/* .hostScript */ .Q1)('monarch_hold_lock', (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `${_safe_files_js__WEBPACK_IMPORTED_MODULE_2__/* .UNSAFE */ .Pk}
command -v flock >/dev/null 2>&1 || exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.noFlock}
[ -L ${lockFile} ] && unsafe ${`${lockFile} is a symbolic link`}
exec 9>>${lockFile}
if ! flock -n 9; then
  asked=$(date +%s)
  if ! flock -w ${seconds} 9; then
    if ${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_2__/* .isRegularFile */ .Ze)(lockInfo)}; then head -c 1024 ${lockInfo} | sed ${`s/^/${LOCK_REPLIES.holder}=/`}; fi
    exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .EXIT */ .dc.locked}
  fi
  echo "${LOCK_REPLIES.lockWaited}=$(( $(date +%s) - asked ))"
fi
${(0,_safe_files_js__WEBPACK_IMPORTED_MODULE_2__/* .replaceFile */ .fR)(lockInfo, (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_4__.sh) `printf '%s %s
' ${holder} "$(date -u +%Y-%m-%dT%H:%M:%SZ)"`)} || exit 1
echo ${_protocol_js__WEBPACK_IMPORTED_MODULE_1__/* .READY_LINE */ .je}
cat >/dev/null`);
}


/***/ }),

/***/ 4175:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bd: () => (/* binding */ readReplies),
/* harmony export */   dc: () => (/* binding */ EXIT),
/* harmony export */   je: () => (/* binding */ READY_LINE),
/* harmony export */   x1: () => (/* binding */ replyKeys)
/* harmony export */ });
/* unused harmony export Replies */
/* harmony import */ var _remote_text_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8217);
/* harmony import */ var _shell_timed_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5701);
/**
 * The protocol between the action and the programs it runs on a host, imported by both sides
 * and by the tests: the exit codes (one table, so that no two collide), the line a held
 * command prints once it is ready, and how `key=value` replies are declared and read. Each
 * program declares its own reply keys beside it (`replyKeys`); how a command is started and
 * timed on the host is src/shell/timed.ts.
 */


/** Exit codes of the host scripts, clear of docker's, the shell's (126-128+) and timeout(1)'s. */
const EXIT = {
    /** The release command did not finish within its timeout; its container was removed. */
    releaseCommandTimedOut: 85,
    /** The release command exited non-zero; `release_status=` says with what. */
    releaseCommandFailed: 86,
    /** `mode: swarm`, and the host is not a manager of an active swarm; `swarm=` says its state. */
    notManager: 87,
    /** The release could not be unpacked into this run's staging folder. */
    uploadFailed: 88,
    /** app-dir holds what the deploy must not follow or overwrite (a link, a folder, a foreign owner); `unsafe=` says what. */
    unsafePath: 89,
    /** The setup marker did not appear in time. */
    markerTimeout: 90,
    /** app-dir (or its state folder) cannot be created or written. */
    notWritable: 91,
    /** No docker, or no compose. */
    noDocker: 92,
    /** A container exited, restarted or turned unhealthy. */
    unhealthy: 93,
    /** The containers were not healthy within health-timeout. */
    healthTimeout: 94,
    /** No flock for the deploy lock. */
    noFlock: 95,
    /** Another deploy held the lock for all of lock-timeout. */
    locked: 96,
    /** The registry refused the login. */
    loginFailed: 97,
    /** `compose up` (or `docker stack deploy`) failed. */
    upFailed: 98,
    /** The command was told not to start (its `go` line never came): it did nothing. */
    notStarted: _shell_timed_js__WEBPACK_IMPORTED_MODULE_1__/* .NOT_STARTED_EXIT */ .$P,
};
/** What a long-lived command prints once it holds the lock; everything before it is replies. */
const READY_LINE = 'monarch-ready';
/** What a reply key may be: lower case letters and `_`. */
const REPLY_KEY = /^[a-z_]+$/;
/**
 * Declares the replies of a program, once, next to it: the program prints `${KEYS.name}=...`
 * and its readers and tests read `KEYS.name`, so a key cannot drift between them.
 */
function replyKeys(keys) {
    for (const key of Object.values(keys))
        if (!REPLY_KEY.test(key))
            throw new Error(`not a reply key: ${JSON.stringify(key)}`);
    return Object.freeze(keys);
}
/**
 * The replies in `text` of the programs that declared `declarations`: its `key=value` lines of
 * those keys (other lines are ignored). What a host prints is not trusted: each value is kept
 * on one line, its control characters shown escaped.
 */
function readReplies(text, ...declarations) {
    const keys = new Set(declarations.flatMap((declared) => Object.values(declared)));
    return new Replies(text, keys);
}
/** The replies of some programs, read by `readReplies`; only their declared keys can be asked for. */
class Replies {
    values = new Map();
    /** @internal use `readReplies`. */
    constructor(text, keys) {
        for (const line of text.split('\n')) {
            const eq = line.indexOf('=');
            if (eq <= 0)
                continue;
            const key = line.slice(0, eq);
            if (!keys.has(key))
                continue;
            const list = this.values.get(key) ?? [];
            list.push((0,_remote_text_js__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(line.slice(eq + 1)));
            this.values.set(key, list);
        }
    }
    /** The first value printed for `key`. */
    get(key) {
        return this.values.get(key)?.[0];
    }
    /** Every value printed for `key`, in order. */
    all(key) {
        return this.values.get(key) ?? [];
    }
    /** The first value of `key` as a whole number, or `fallback`. */
    number(key, fallback = 0) {
        const value = Number(this.get(key));
        return Number.isFinite(value) && this.get(key) !== undefined ? value : fallback;
    }
}


/***/ }),

/***/ 5180:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pk: () => (/* binding */ UNSAFE),
/* harmony export */   Ze: () => (/* binding */ isRegularFile),
/* harmony export */   Zf: () => (/* binding */ INSTALL_FILE),
/* harmony export */   _w: () => (/* binding */ UNSAFE_REPLIES),
/* harmony export */   fR: () => (/* binding */ replaceFile)
/* harmony export */ });
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2951);
/* harmony import */ var _protocol_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4175);
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


/** The reply of `unsafe`: `unsafe=<what cannot be done safely>`. */
const UNSAFE_REPLIES = (0,_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .replyKeys */ .x1)({ unsafe: 'unsafe' });
/**
 * Shell function `unsafe WHAT`: says what cannot be done safely (`unsafe=` reply) and exits
 * `unsafePath`. Each script that needs it defines it in its own body.
 */
const UNSAFE = (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_1__.sh) `unsafe() { printf '%s=%s\n' ${UNSAFE_REPLIES.unsafe} "$1"; exit ${_protocol_js__WEBPACK_IMPORTED_MODULE_0__/* .EXIT */ .dc.unsafePath}; }`;
/**
 * Shell functions that never follow a link at the moment they use a path, run in app-dir (the
 * current folder), every path relative to it. A check that a name is no link is not enough on
 * its own: a process on the host (a container's, through its mount) may swap the name for a
 * link between the check and the use. So:
 *
 * - `walk_into DIR [make]` enters DIR one folder at a time, each checked (a real folder, made
 *   when absent with `make`, else it returns 1) and, once entered, checked again: the physical
 *   path of where it landed must be the one asked for, so a part swapped for a link before the
 *   `cd` is caught after it (`unsafe`). From there a name is one path component: a rename, a
 *   removal or an exclusive creation of it follows no link.
 * - `copy_file SOURCE NAME` opens SOURCE (reached by `walk_into`), then checks that what it
 *   opened is still the regular file at that name (`-ef` of the open descriptor, so a link
 *   swapped in before the open, or the file swapped back after it, is refused); creates a
 *   fresh name in NAME's folder exclusively (noclobber: a link there makes it fail), writes the
 *   open file into it, gives it the source's mode through its descriptor, never a name, and
 *   renames it over NAME (a rename replaces a link as a link, never what it points to).
 * - `remove_file NAME` removes NAME from its folder entered by `walk_into` (a link as a link).
 * - `set_mode MODE NAME` opens NAME (a file or a folder), checks it as `copy_file` does, and
 *   sets MODE through the open descriptor.
 *
 * Each runs in a subshell of its own (its `cd` stays there) and stops the script when it fails.
 * Needs `unsafe`.
 */
const SAFE_PATHS = (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_1__.sh) `walk_into() {
  here=$(pwd -P) || exit 1
  rel=.
  for part in $(printf '%s' "$1" | tr '/' ' '); do
    [ "$part" = . ] && continue
    here="$here/$part" rel="$rel/$part"
    if [ ! -e "$part" ] && [ ! -L "$part" ]; then
      [ -n "\${2:-}" ] || return 1
      mkdir -- "$part" 2>/dev/null || [ -d "$part" ] || exit 1
    fi
    [ -L "$part" ] && unsafe "\${rel#./} in app-dir is a symbolic link"
    [ -d "$part" ] || unsafe "\${rel#./} in app-dir is not a folder"
    cd -P -- "$part" && [ "$(pwd -P)" = "$here" ] || unsafe "\${rel#./} in app-dir is a symbolic link"
  done
}
open_checked() {
  [ -f "$1" ] && [ ! -L "$1" ] || unsafe "$2 is not a file"
  exec 3<"$1" || exit 1
  [ /proc/self/fd/3 -ef "$1" ] && [ ! -L "$1" ] || unsafe "$2 was replaced while it was opened"
}
copy_file() {
  (
    from=$(pwd -P) || exit 1
    walk_into "$(dirname -- "$1")" || unsafe "$1 is not a file"
    open_checked "\${1##*/}" "$1"
    cd -P -- "$from" || exit 1
    walk_into "$(dirname -- "$2")" make
    name=\${2##*/}
    if [ -d "$name" ] && [ ! -L "$name" ]; then unsafe "$2 in app-dir is a folder"; fi
    tmp=$(mktemp -u .monarch-tmp.XXXXXX) || exit 1
    set -C
    exec 4>"$tmp" || exit 1
    if ! { cat <&3 >&4 && chmod "$(stat -L -c %a /proc/self/fd/3)" /proc/self/fd/4 && mv -f -T -- "$tmp" "$name"; }; then
      rm -f -- "$tmp"
      exit 1
    fi
  ) || exit
}
remove_file() {
  (
    walk_into "$(dirname -- "$1")" || exit 0
    name=\${1##*/}
    if [ -d "$name" ] && [ ! -L "$name" ]; then unsafe "$1 in app-dir is a folder"; fi
    rm -f -- "$name"
  ) || exit
}
set_mode() {
  (
    walk_into "$(dirname -- "$2")" || unsafe "$2 is not a file"
    name=\${2##*/}
    [ -e "$name" ] && [ ! -L "$name" ] || unsafe "$2 is not a file"
    exec 3<"$name" || exit 1
    [ /proc/self/fd/3 -ef "$name" ] && [ ! -L "$name" ] || unsafe "$2 was replaced while it was opened"
    chmod "$1" /proc/self/fd/3
  ) || exit
}`;
/**
 * Shell functions, run in app-dir: `check_target NAME` fails (`unsafe`) unless every folder on
 * the way to NAME is a real folder (or absent) and NAME is not a folder; `install_file ROOT
 * NAME` puts a copy of the regular file ROOT/NAME (ROOT: a folder of the action's own under
 * app-dir, relative to it) at NAME, making the folders on the way (`copy_file`). A release
 * checks every name before it installs the first, so an unsafe app-dir fails with nothing
 * changed; the install itself follows no link either, even one swapped in after the checks
 * (see `SAFE_PATHS`). Also defines `walk_into`, `copy_file`, `remove_file` and `set_mode`.
 * Needs `unsafe`.
 */
const INSTALL_FILE = (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_1__.sh) `check_target() {
  path=.
  for part in $(printf '%s' "$(dirname -- "$1")" | tr '/' ' '); do
    [ "$part" = . ] && continue
    path="$path/$part"
    [ -L "$path" ] && unsafe "\${path#./} in app-dir is a symbolic link"
    [ ! -e "$path" ] || [ -d "$path" ] || unsafe "\${path#./} in app-dir is not a folder"
  done
  if [ -d "./$1" ] && [ ! -L "./$1" ]; then unsafe "$1 in app-dir is a folder"; fi
}
${SAFE_PATHS}
install_file() { copy_file "$1/$2" "$2"; }`;
/** A check that `file` is a regular file, not a link: for reading a file of the state folder. */
function isRegularFile(file) {
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_1__.sh) `{ [ -f ${file} ] && [ ! -L ${file} ]; }`;
}
/**
 * Writes the output of `producer` to `file` through a fresh temporary name in the same folder
 * and a rename: a link planted at `file` is replaced, never written through.
 */
function replaceFile(file, producer) {
    const dir = file.slice(0, file.lastIndexOf('/'));
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_1__.sh) `tmp=$(mktemp ${`${dir}/.monarch-tmp.XXXXXX`}) &&
  if { ${producer}; } >"$tmp"; then mv -f -T -- "$tmp" ${file}; else rm -f -- "$tmp"; false; fi`;
}


/***/ }),

/***/ 4324:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DM: () => (/* binding */ program),
/* harmony export */   PM: () => (/* binding */ step),
/* harmony export */   Q1: () => (/* binding */ hostScript)
/* harmony export */ });
/* unused harmony export call */
/* harmony import */ var _shell_command_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2951);
/**
 * A host script is one shell function whose body runs in its own subshell, `name() ( ... )`:
 * nothing it sets leaks into the program that calls it, and what it needs comes in as
 * parameters (baked in, quoted, by the TypeScript that builds it) or as arguments (data only
 * the host knows, such as container IDs, handed on by the program). A program is the
 * definitions of its scripts plus one line per call: each remote command of a deploy is one.
 */

const NAME = /^monarch_[a-z_]+$/;
/** Defines the function `name` (`monarch_...`) running `body` in a subshell. */
function hostScript(name, body) {
    if (!NAME.test(name))
        throw new Error(`not a host script name: ${name}`);
    return { name, definition: new _shell_command_js__WEBPACK_IMPORTED_MODULE_0__/* .ShellCommand */ .oI(`${name}() (\n${body.text}\n)`) };
}
/** A call of `script`, as `options` say. */
function step(script, options = {}) {
    let line = script.name;
    if (options.args?.length)
        line += ` ${(0,_shell_command_js__WEBPACK_IMPORTED_MODULE_0__.sh) `${options.args}`.text}`;
    if (options.withIds)
        line += ' $ids';
    if (options.intoIds)
        line = `ids=$(${line})`;
    if (options.orExit)
        line += ' || exit';
    return { script, line };
}
/**
 * A remote command: the definitions of the steps' scripts and of the `helpers` they call (such
 * as `monarch_compose`), then the calls in order.
 */
function program(steps, helpers = []) {
    const used = steps.filter((s) => Boolean(s));
    const scripts = [...helpers, ...used.map((s) => s.script)];
    const definitions = [...new Map(scripts.map((script) => [script.name, script])).values()];
    return (0,_shell_command_js__WEBPACK_IMPORTED_MODULE_0__/* .lines */ .Mn)([
        ...definitions.map((script) => script.definition),
        new _shell_command_js__WEBPACK_IMPORTED_MODULE_0__/* .ShellCommand */ .oI(used.map((s) => s.line).join('\n')),
    ]);
}
/** A program of `script` alone, called with `args` (quoted): a one-step command, and for tests. */
function call(script, args = []) {
    const quoted = args.length ? ` ${sh `${args}`.text}` : '';
    return program([{ script, line: script.name + quoted }]);
}


/***/ }),

/***/ 4597:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G7: () => (/* binding */ ApiUrlOverrideError),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   lR: () => (/* binding */ checkApiUrlOverrides),
/* harmony export */   tj: () => (/* binding */ apiBaseUrl)
/* harmony export */ });
/* unused harmony exports API_URL_OVERRIDES, isLoopbackUrl */
/**
 * The environment variables that point the action's API clients at a local stand-in in tests
 * (`MONARCH_SLACK_API_URL`, `MONARCH_DIGITALOCEAN_API_URL`). Any earlier step of the job can set
 * a variable for the later ones through GITHUB_ENV, and the token goes wherever the URL says:
 * so an override is honoured only for a loopback address, and any other is refused.
 */
/** The overrides the action reads, each with the API it replaces. */
const API_URL_OVERRIDES = {
    MONARCH_SLACK_API_URL: 'the Slack Web API',
    MONARCH_DIGITALOCEAN_API_URL: 'the DigitalOcean API',
};
/** An override that points somewhere else than this machine. */
class ApiUrlOverrideError extends Error {
    variable;
    constructor(variable, got) {
        super(`Refused environment variable '${variable}': expected nothing, or a loopback URL such as ` +
            `http://127.0.0.1:8080/ (it exists for tests, to reach a stand-in for ` +
            `${API_URL_OVERRIDES[variable]}), got ${got}. An earlier step of the job may have set it ` +
            'through GITHUB_ENV to send the token elsewhere: unset it');
        this.variable = variable;
        this.name = 'ApiUrlOverrideError';
    }
}
/**
 * True for a URL host that is this machine by its address: 127.0.0.0/8, `[::1]` or `localhost`
 * (the WHATWG parser has already turned `127.1` or `0x7f.0.0.1` into dotted form).
 */
function isLoopbackHost(hostname) {
    const host = hostname.toLowerCase();
    if (host === 'localhost' || host === '[::1]')
        return true;
    const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
    return octets !== null && octets.slice(1).every((octet) => Number(octet) <= 255);
}
/** True for an http(s) URL whose host is a loopback address. */
function isLoopbackUrl(url) {
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
}
/**
 * The base URL of an API: `fallback`, or `env[variable]` when it is set and names a loopback
 * address; throws `ApiUrlOverrideError` for any other value, before a token could be sent.
 */
function apiBaseUrl(variable, fallback, env = process.env) {
    const value = env[variable];
    if (!value)
        return fallback;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new ApiUrlOverrideError(variable, 'something that is not a URL');
    }
    if (!isLoopbackUrl(url)) {
        const what = /^https?:$/.test(url.protocol) ? `host '${url.hostname}'` : url.protocol;
        throw new ApiUrlOverrideError(variable, `a URL for ${what}`);
    }
    return value;
}
/** Checks every override in `env`; throws the first refusal. */
function checkApiUrlOverrides(env = process.env) {
    for (const variable of Object.keys(API_URL_OVERRIDES)) {
        apiBaseUrl(variable, '', env);
    }
}


/***/ }),

/***/ 5242:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ boundedFetch),
/* harmony export */   Ht: () => (/* binding */ readBoundedText),
/* harmony export */   by: () => (/* binding */ ResponseTooLargeError)
/* harmony export */ });
/* unused harmony exports MAX_RESPONSE_BYTES, readBoundedBody */
/**
 * Reading an HTTP answer's body with a bound, as the SSH output already is: a server (or
 * whatever answers in its place) that sends a huge or endless body gets a clear error once the
 * bound is passed, and the action never holds more than the bound of it.
 */
/** The most the action reads of any answer: Slack, GitHub and DigitalOcean answer in a few KiB. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
/** An answer whose body is larger than the bound; it was not read further. */
class ResponseTooLargeError extends Error {
    constructor(label, limit) {
        super(`${label}: the answer is larger than ${describeBytes(limit)}; it was not read further`);
        this.name = 'ResponseTooLargeError';
    }
}
function describeBytes(bytes) {
    return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
/**
 * The body of `response`, read to its end if it is at most `limit` bytes; otherwise the body
 * is cancelled and `ResponseTooLargeError` thrown (at once when `Content-Length` says so).
 */
async function readBoundedBody(response, label, limit = MAX_RESPONSE_BYTES) {
    const body = response.body;
    if (body === null)
        return new Uint8Array(0);
    const declared = Number(response.headers.get('content-length') ?? '');
    if (Number.isFinite(declared) && declared > limit) {
        await body.cancel().catch(() => undefined);
        throw new ResponseTooLargeError(label, limit);
    }
    const reader = body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.byteLength;
        if (size > limit) {
            await reader.cancel().catch(() => undefined);
            throw new ResponseTooLargeError(label, limit);
        }
        chunks.push(value);
    }
    const whole = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
        whole.set(chunk, offset);
        offset += chunk.byteLength;
    }
    return whole;
}
/** The body of `response` as UTF-8 text, bounded as `readBoundedBody` says. */
async function readBoundedText(response, label, limit = MAX_RESPONSE_BYTES) {
    return new TextDecoder().decode(await readBoundedBody(response, label, limit));
}
/** Statuses whose answer has no body (a `Response` with one cannot be made). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
/**
 * `fetch` whose answers are read (bounded) before they are returned: a library that reads the
 * body itself (Octokit, @slack/webhook) gets the whole of it, or a `ResponseTooLargeError`
 * thrown by `fetch` instead of a body it would read without end.
 */
function boundedFetch(fetchImpl, label, limit = MAX_RESPONSE_BYTES) {
    return async (input, init) => {
        const response = await fetchImpl(input, init);
        const body = await readBoundedBody(response, label, limit);
        const copy = new Response(NULL_BODY.has(response.status) ? null : body, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
        });
        Object.defineProperty(copy, 'url', { value: response.url });
        return copy;
    };
}


/***/ }),

/***/ 4168:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dz: () => (/* reexport */ InputError),
  hS: () => (/* reexport */ InvalidInputs),
  cY: () => (/* binding */ getConnectionInputs),
  GP: () => (/* binding */ getInputs),
  kZ: () => (/* reexport */ readHosts),
  K3: () => (/* binding */ readSlackSettings)
});

// UNUSED EXPORTS: EnvironmentError

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 15 modules
var core = __webpack_require__(4116);
// EXTERNAL MODULE: ./src/env/parse.ts + 1 modules
var parse = __webpack_require__(6788);
// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(7194);
;// CONCATENATED MODULE: ./src/inputs/host-key-pins.ts
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
/**
 * Parses `host-fingerprint`: `SHA256:...` pins, separated by commas, spaces or newlines, each
 * for every host, or `host=SHA256:...` for that host alone.
 */
function parseFingerprints(text) {
    return text
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((item) => {
        const eq = item.lastIndexOf('=', item.indexOf('SHA256:'));
        const host = eq > 0 ? item.slice(0, eq) : undefined;
        const fingerprint = (eq > 0 ? item.slice(eq + 1) : item).replace(/=+$/, '');
        if (!FINGERPRINT.test(fingerprint) ||
            (host !== undefined && !/^[A-Za-z0-9.:_-]+$/.test(host))) {
            throw new Error(`expected 'SHA256:' and 43 base64 characters as 'ssh-keygen -lf' prints, or host=SHA256:..., got '${item}'`);
        }
        return host === undefined ? { fingerprint } : { host, fingerprint };
    });
}
/** Parses known_hosts text; comment and blank lines are skipped, @cert-authority lines refused. */
function parseKnownHosts(text) {
    const entries = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const fields = line.split(/\s+/);
        let revoked = false;
        if (fields[0].startsWith('@')) {
            const marker = fields.shift();
            if (marker === '@revoked')
                revoked = true;
            else
                throw new Error(`line ${index + 1}: '${marker}' entries are not supported`);
        }
        const [patterns, keyType, keyBase64] = fields;
        const keyBlob = keyBase64 ? Buffer.from(keyBase64, 'base64') : Buffer.alloc(0);
        if (!patterns || !keyType || keyBlob.length < 16) {
            throw new Error(`line ${index + 1}: expected 'host key-type base64-key'`);
        }
        entries.push({ patterns, keyType, keyBlob, revoked, line: index + 1 });
    });
    return entries;
}

;// CONCATENATED MODULE: ./src/inputs/read.ts
/** Reading single inputs: each reader validates one input and names it in its error. */
/** An input that is not what the action expects. */
class InputError extends Error {
    input;
    constructor(input, expectation) {
        super(`Invalid input '${input}': ${expectation}`);
        this.input = input;
        this.name = 'InputError';
    }
}
/**
 * Several invalid inputs at once, each still its own InputError: the run reports them all in one
 * failure (one annotation each), so a user fixes them in one go.
 */
class InvalidInputs extends Error {
    errors;
    constructor(errors) {
        super(errors.map((error) => error.message).join('\n'));
        this.errors = errors;
        this.name = 'InvalidInputs';
    }
}
/**
 * Collects the InputErrors of independent checks, so that one invalid input does not hide the
 * next: `check` runs a reader and keeps its error, `done` throws what was kept.
 */
class InputChecks {
    errors = [];
    /** `reader()`'s value; undefined (its error kept) when the input is invalid. */
    check(reader) {
        try {
            return reader();
        }
        catch (error) {
            if (!(error instanceof InputError))
                throw error;
            if (!this.errors.some((kept) => kept.message === error.message))
                this.errors.push(error);
            return undefined;
        }
    }
    /** Throws the one InputError kept, or all of them as InvalidInputs. */
    done() {
        if (this.errors.length === 1)
            throw this.errors[0];
        if (this.errors.length > 1)
            throw new InvalidInputs(this.errors);
    }
}
const SAFE_PATH = /^\/[A-Za-z0-9/._-]*$/;
/** Throws the InputError for `input`: "expected ...". */
function fail(input, expectation) {
    throw new InputError(input, `expected ${expectation}`);
}
/** Runs a parser whose errors become an InputError for `input`. */
function wrap(input, parse) {
    try {
        return parse();
    }
    catch (error) {
        if (error instanceof InputError)
            throw error;
        throw new InputError(input, error instanceof Error ? error.message : String(error));
    }
}
/** The value of `name`, which must be set `when` (e.g. "when 'registry' is set"). */
function required(read, name, when) {
    return read(name) || fail(name, `a value ${when}`);
}
/** A whole number from `min` to `max`; empty gives `fallback`. */
function integer(read, name, fallback, min, max) {
    const text = read(name);
    if (text === '')
        return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max)
        fail(name, `a whole number from ${min} to ${max}, got '${text}'`);
    return value;
}
/** Seconds (at most a day), as milliseconds; empty gives `fallback` seconds. */
function seconds(read, name, fallback, zeroAllowed) {
    const text = read(name);
    if (text === '')
        return fallback * 1000;
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text) || !(zeroAllowed ? value >= 0 : value > 0) || value > 86_400) {
        fail(name, `a ${zeroAllowed ? 'non-negative' : 'positive'} number of seconds (at most 86400), got '${text}'`);
    }
    return Math.round(value * 1000);
}
/** `true` or `false`; empty gives `fallback`. */
function read_boolean(read, name, fallback) {
    const text = read(name).toLowerCase();
    if (text === '')
        return fallback;
    if (text === 'true')
        return true;
    if (text === 'false')
        return false;
    return fail(name, `'true' or 'false', got '${text}'`);
}
/** One of `allowed`; empty gives `fallback`. */
function oneOf(read, name, allowed, fallback) {
    const text = read(name);
    if (text === '')
        return fallback;
    if (!allowed.includes(text)) {
        fail(name, `one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${text}'`);
    }
    return text;
}
/** A user name on a host. */
function username(name, input = 'username') {
    if (!/^[a-z_][a-z0-9_.-]*$/i.test(name))
        fail(input, `a user name, got '${name}'`);
    return name;
}
/** An absolute path of letters, digits and `/._-`, without `..`; trailing slashes dropped. */
function safePath(input, value) {
    if (!SAFE_PATH.test(value) || value.split('/').includes('..')) {
        fail(input, `an absolute path of letters, digits and '/._-' without '..', got '${value}'`);
    }
    return value.length > 1 ? value.replace(/\/+$/, '') : value;
}
/** `safePath`, or null when empty. */
function optionalPath(input, value) {
    return value === '' ? null : safePath(input, value);
}

;// CONCATENATED MODULE: ./src/inputs/connection.ts
/** The inputs that say how to reach the hosts: addresses, user, keys, host keys, jump host. */



const HOST = /^[A-Za-z0-9.:_-]+$/;
/** Reads a secret input and masks it before anything else can log it. */
function readSecret(read, name, trim = true) {
    const value = read(name, { trimWhitespace: trim });
    (0,secrets/* registerSecret */.cl)(value);
    return value;
}
/**
 * The connection inputs, secrets masked first; nothing touches the network. Each input's error
 * is kept in `checks` (a field is undefined when its input is invalid: `checks.done()` throws
 * before such a value is used).
 */
function readConnection(read, parseKey, checks) {
    const check = (reader) => checks.check(reader);
    const privateKey = normalizeKey(readSecret(read, 'ssh-private-key', false));
    const passphrase = readSecret(read, 'ssh-passphrase') || undefined;
    const user = check(() => username(read('username') || 'root'));
    const hosts = check(() => readHosts(read));
    return {
        hosts,
        port: check(() => integer(read, 'port', 22, 1, 65535)),
        username: user,
        privateKey: check(() => checkPrivateKey(privateKey, passphrase, 'ssh-', parseKey)),
        passphrase,
        hostKeyPolicy: check(() => hostKeyPolicy(read, hosts)),
        appDir: check(() => safePath('app-dir', read('app-dir') || '/opt/monarch')),
        jumpHost: check(() => readJumpHost(read, { privateKey, passphrase, username: user ?? 'root' }, parseKey)),
    };
}
/** `host`: one or more addresses (checked without any parser: a start's first check). */
function readHosts(read) {
    const hosts = read('host')
        .split(/[,\n]/)
        .map((host) => host.trim())
        .filter(Boolean);
    const twice = hosts.find((host, i) => hosts.indexOf(host) !== i);
    if (twice)
        fail('host', `each droplet once, got ${twice} twice`);
    if (hosts.length === 0)
        throw new InputError('host', 'expected one or more droplet addresses, got nothing');
    for (const host of hosts) {
        if (!HOST.test(host))
            throw new InputError('host', `expected a host name or IP address, got '${host}'`);
    }
    return hosts;
}
function readJumpHost(read, defaults, parseKey) {
    const proxyKey = normalizeKey(readSecret(read, 'proxy-private-key', false));
    const proxyPassphrase = readSecret(read, 'proxy-passphrase') || undefined;
    const host = read('proxy-host');
    if (host === '')
        return null;
    if (!HOST.test(host))
        fail('proxy-host', `a host name or IP address, got '${host}'`);
    const ownKey = proxyKey.trim() !== '';
    return {
        host,
        port: integer(read, 'proxy-port', 22, 1, 65535),
        username: username(read('proxy-username') || defaults.username, 'proxy-username'),
        privateKey: ownKey
            ? checkPrivateKey(proxyKey, proxyPassphrase, 'proxy-', parseKey)
            : defaults.privateKey,
        passphrase: ownKey ? proxyPassphrase : defaults.passphrase,
        hostKeyPolicy: jumpHostKeyPolicy(read, host),
    };
}
/**
 * The jump host's own pins: with `proxy-fingerprint` or `proxy-known-hosts` set, only they count;
 * with neither, `known-hosts` may list it. `proxy-insecure-ignore-host-key` is its own flag:
 * the droplets' `insecure-ignore-host-key` never opens the bastion.
 */
function jumpHostKeyPolicy(read, host) {
    const own = read('proxy-fingerprint') !== '' || read('proxy-known-hosts') !== '';
    const fingerprints = wrap('proxy-fingerprint', () => parseFingerprints(read('proxy-fingerprint')));
    if (fingerprints.some((pin) => pin.host !== undefined && pin.host !== host))
        fail('proxy-fingerprint', `pins for the jump host ${host} only`);
    return {
        fingerprints,
        knownHosts: own
            ? wrap('proxy-known-hosts', () => parseKnownHosts(read('proxy-known-hosts')))
            : wrap('known-hosts', () => parseKnownHosts(read('known-hosts'))),
        insecureIgnore: read_boolean(read, 'proxy-insecure-ignore-host-key', false),
    };
}
/** The droplets' pins; a `host=` pin must name one of `hosts` (unchecked while `host` is invalid). */
function hostKeyPolicy(read, hosts) {
    const fingerprints = wrap('host-fingerprint', () => parseFingerprints(read('host-fingerprint')));
    const stray = fingerprints.find((pin) => pin.host !== undefined && hosts !== undefined && !hosts.includes(pin.host));
    if (stray)
        fail('host-fingerprint', `host=SHA256:... pins for hosts of 'host', got one for '${stray.host}'`);
    return {
        fingerprints,
        knownHosts: wrap('known-hosts', () => parseKnownHosts(read('known-hosts'))),
        insecureIgnore: read_boolean(read, 'insecure-ignore-host-key', false),
    };
}
function normalizeKey(text) {
    return text.trim() ? text.trim().replace(/\r\n/g, '\n') + '\n' : '';
}
/** Checks that a key parses (and decrypts): `prefix` names the inputs in errors. */
function checkPrivateKey(key, passphrase, prefix, parseKey) {
    const keyInput = `${prefix}private-key`;
    const passphraseInput = `${prefix}passphrase`;
    if (key.trim() === '')
        fail(keyInput, 'the private key text (OpenSSH or PEM), got nothing');
    const parsed = parseKey(key, passphrase);
    if (parsed instanceof Error) {
        const reason = parsed.message;
        if (/no passphrase/i.test(reason)) {
            fail(passphraseInput, `the passphrase of the encrypted ${keyInput}, got nothing`);
        }
        if (/bad decrypt|decrypt|passphrase|integrity/i.test(reason) && passphrase) {
            fail(passphraseInput, `the passphrase of ${keyInput}, but it does not decrypt the key`);
        }
        fail(keyInput, `an OpenSSH or PEM private key (ed25519, ecdsa or RSA): ${reason}`);
    }
    const keys = Array.isArray(parsed) ? parsed : [parsed];
    if (keys.length === 0 || !keys[0].isPrivateKey())
        fail(keyInput, 'a private key, got a public key');
    return key;
}

// EXTERNAL MODULE: ./src/http/api-url-override.ts
var api_url_override = __webpack_require__(4597);
;// CONCATENATED MODULE: ./src/inputs/environment.ts
/**
 * The environment variables the action reads besides its inputs, checked with them: any earlier
 * step of the job can set one through GITHUB_ENV, so a bad value fails the run as bad input
 * does, before any host is touched and before any token is sent.
 */


/** An environment variable the action refuses; reported like an invalid input. */
class EnvironmentError extends InputError {
    constructor(variable, message) {
        super(variable, message);
        this.message = message;
        this.name = 'EnvironmentError';
    }
}
/** Throws `EnvironmentError` for an API URL override that is not a loopback address. */
function checkEnvironment(env) {
    try {
        (0,api_url_override/* checkApiUrlOverrides */.lR)(env);
    }
    catch (error) {
        if (error instanceof api_url_override/* ApiUrlOverrideError */.G7)
            throw new EnvironmentError(error.variable, error.message);
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/inputs/parsers.ts
/** Loads both parsers. */
async function loadInputParsers() {
    const [ssh2, yaml] = await Promise.all([__webpack_require__.e(/* import() */ 472).then(__webpack_require__.t.bind(__webpack_require__, 5472, 23)), __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19))]);
    return { parseKey: ssh2.default.utils.parseKey, parseYaml: yaml.parseDocument, yaml };
}

// EXTERNAL MODULE: ./src/registry/digitalocean.ts
var digitalocean = __webpack_require__(3441);
;// CONCATENATED MODULE: ./src/types/settings.ts
/**
 * The settings of a run, as `getInputs` builds them from the step's inputs: types and the
 * constants they are made of, importing nothing, so that every layer can name them.
 */
/** The values `notify-on` accepts, in the order the README lists them. */
const NOTIFY_ON_VALUES = ['always', 'failure', 'success', 'never'];

;// CONCATENATED MODULE: ./src/inputs/integrations.ts
/** The inputs of the services around a deploy: the registry, DigitalOcean, Slack, GitHub. */




/** `registry`, `registry-username`, `registry-password` or `digitalocean-token`. */
function readRegistry(read) {
    const password = read('registry-password');
    const digitalOceanToken = read('digitalocean-token');
    const server = read('registry') || (digitalOceanToken ? digitalocean/* DIGITALOCEAN_REGISTRY */.nu : '');
    if (digitalOceanToken) {
        if (password || read('registry-username')) {
            fail('registry-password', "nothing when 'digitalocean-token' is set: the token gets short-lived credentials");
        }
        return {
            registry: null,
            digitalOcean: { token: digitalOceanToken, registry: registryName(server) },
        };
    }
    if (!server)
        return { registry: null, digitalOcean: null };
    return {
        registry: {
            server: registryName(server),
            username: required(read, 'registry-username', "when 'registry' is set"),
            password: password || fail('registry-password', "a password or token when 'registry' is set"),
        },
        digitalOcean: null,
    };
}
function registryName(value) {
    if (!/^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?(\/[A-Za-z0-9._/-]*)?$/.test(value)) {
        fail('registry', `a registry host such as 'registry.digitalocean.com', got '${value}'`);
    }
    return value;
}
function isNotifyOn(value) {
    return NOTIFY_ON_VALUES.includes(value);
}
/** The Slack inputs, validated. */
function readSlack(read) {
    const notifyOn = read('notify-on') || 'always';
    if (!isNotifyOn(notifyOn))
        fail('notify-on', `one of ${NOTIFY_ON_VALUES.join(', ')}, got '${notifyOn}'`);
    const botToken = read('slack-bot-token') || undefined;
    const channel = read('slack-channel') || undefined;
    if (botToken && !channel)
        fail('slack-channel', "a channel ID such as C0123456789 when 'slack-bot-token' is set");
    return {
        webhookUrl: parseWebhookUrl(read('slack-webhook-url')) ?? undefined,
        botToken,
        channel,
        notifyOn,
        errorsFatal: read_boolean(read, 'slack-errors-fatal', false),
    };
}
/**
 * The Slack settings alone, read leniently, for reporting a run whose other inputs are invalid
 * (an invalid `notify-on` falls back to `always`; an unusable webhook URL is left out).
 */
function readSlackLeniently(read) {
    let webhookUrl;
    try {
        webhookUrl = parseWebhookUrl(read('slack-webhook-url')) ?? undefined;
    }
    catch {
        webhookUrl = undefined;
    }
    const notifyOn = read('notify-on');
    return {
        webhookUrl,
        botToken: read('slack-bot-token') || undefined,
        channel: read('slack-channel') || undefined,
        notifyOn: isNotifyOn(notifyOn) ? notifyOn : 'always',
        errorsFatal: read('slack-errors-fatal') === 'true',
    };
}
function parseWebhookUrl(value) {
    if (value === '')
        return null;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return fail('slack-webhook-url', 'an https:// URL of a Slack incoming webhook');
    }
    // Over plain http the URL, a secret, and the message would cross the network in clear.
    if (url.protocol === 'https:' || (url.protocol === 'http:' && (0,api_url_override/* isLoopbackHost */.cW)(url.hostname)))
        return value;
    return fail('slack-webhook-url', 'an https:// URL (http:// only to a loopback address such as 127.0.0.1, for tests)');
}
/** `environment`, `environment-url` and `github-token`. */
function readGitHub(read) {
    const environmentUrl = read('environment-url');
    if (environmentUrl && !/^https?:\/\/\S+$/.test(environmentUrl)) {
        fail('environment-url', `an http(s) URL, got '${environmentUrl}'`);
    }
    return {
        environment: read('environment') || undefined,
        environmentUrl: environmentUrl || undefined,
        githubToken: read('github-token'),
    };
}

;// CONCATENATED MODULE: ./src/inputs/release-command.ts

/** A command line longer than this is not a command line. */
const MAX_LENGTH = 4096;
/** The release command, or null when `release-command` is empty. */
function readReleaseCommand(read, source) {
    const line = read('release-command');
    if (line === '') {
        for (const name of ['release-command-service', 'release-command-timeout'])
            if (read(name) !== '')
                fail(name, `nothing unless 'release-command' is set`);
        return null;
    }
    if (read('mode') === 'swarm') {
        fail('release-command', `nothing with mode 'swarm': a release command runs only in mode 'compose' (run it as a job of its own before the stack deploy)`);
    }
    if (line.length > MAX_LENGTH)
        fail('release-command', `a command line of at most ${MAX_LENGTH} characters`);
    const words = splitOrFail(line);
    const services = composeServices(source);
    const service = read('release-command-service') || services[0];
    if (!service || !services.includes(service)) {
        fail('release-command-service', `a service of the compose file (${services.join(', ') || 'it has none'}), got '${service ?? ''}'`);
    }
    const timeoutMs = seconds(read, 'release-command-timeout', source.commandTimeoutMs / 1000, false);
    return { line, words, service, timeoutMs };
}
function splitOrFail(line) {
    try {
        return splitCommandLine(line);
    }
    catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return fail('release-command', `the words of one command, as compose's 'command:' takes them (no shell runs it): ${why}; for a shell, write sh -c '...'`);
    }
}
/** The service names of the compose file, in the file's order. */
function composeServices(source) {
    const parsed = source.yaml.parse(source.composeContent.toString('utf8'));
    const services = parsed?.services;
    return services && typeof services === 'object' ? Object.keys(services) : [];
}
/** Characters a shell gives a meaning that compose does not, outside quotes. */
const SHELL_ONLY = new Set(['$', '`', ';', '&', '|', '<', '>', '(', ')', '*', '?']);
/**
 * Splits `line` into words as a POSIX shell would if it expanded nothing: blanks separate
 * words, `'...'` is literal, `"..."` is literal but for `\"`, `\\`, `\$` and `` \` ``, and a
 * backslash outside quotes keeps the next character. Throws (with the reason) on an unclosed
 * quote, a newline outside quotes, and what only a shell would understand.
 */
function splitCommandLine(line) {
    const words = [];
    let word = null;
    for (let i = 0; i < line.length; i++) {
        const char = line[i];
        if (char === ' ' || char === '\t') {
            if (word !== null)
                words.push(word);
            word = null;
        }
        else if (char === '\n' || char === '\r') {
            throw new Error('a newline outside quotes (it takes one command)');
        }
        else if (char === "'") {
            const end = line.indexOf("'", i + 1);
            if (end < 0)
                throw new Error('a single quote that is never closed');
            word = (word ?? '') + line.slice(i + 1, end);
            i = end;
        }
        else if (char === '"') {
            const [text, end] = doubleQuoted(line, i + 1);
            word = (word ?? '') + text;
            i = end;
        }
        else if (char === '\\') {
            if (i + 1 >= line.length)
                throw new Error('a backslash at the end');
            word = (word ?? '') + line[++i];
        }
        else if (SHELL_ONLY.has(char) || (word === null && (char === '#' || char === '~'))) {
            throw new Error(`'${char}' would mean something only to a shell`);
        }
        else
            word = (word ?? '') + char;
    }
    if (word !== null)
        words.push(word);
    if (words.length === 0)
        throw new Error('no words');
    return words;
}
/** The text of a `"..."` starting after its quote at `start`, and the index of its end. */
function doubleQuoted(line, start) {
    let text = '';
    for (let i = start; i < line.length; i++) {
        const char = line[i];
        if (char === '"')
            return [text, i];
        if (char === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]))
            text += line[++i];
        else if (char === '$' || char === '`')
            throw new Error(`'${char}' in double quotes would mean something only to a shell`);
        else
            text += char;
    }
    throw new Error('a double quote that is never closed');
}

;// CONCATENATED MODULE: ./src/swarm/stack-services.ts
/** A plain number or boolean of the compose file, kept as written so docker reads it its way. */
class RawScalar {
    source;
    constructor(source) {
        this.source = source;
    }
}
/** A compose file that cannot become a stack file; names the place, never quotes a value. */
class StackFileError extends Error {
    constructor(path, message) {
        super(path ? `${path}: ${message}` : message);
        this.name = 'StackFileError';
    }
}
/** `services.web.ports[0].published`. */
function formatPath(path) {
    return path
        .map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${part}` : part))
        .join('');
}
const isMap = (node) => node instanceof Map;
/**
 * What docker/cli's stack loader ignores (`UnsupportedProperties` and `DeprecatedProperties` of
 * cli/compose/types), and `depends_on`, which it reads but never turns into anything.
 */
const IGNORED = {
    build: " (Swarm pulls 'image')",
    cgroup_parent: '',
    cgroupns_mode: '',
    container_name: ': tasks are named by Swarm',
    depends_on: ': Swarm starts every service at once',
    devices: '',
    domainname: '',
    expose: ': services on the same network reach each other on any port',
    external_links: '',
    ipc: '',
    links: '',
    mac_address: '',
    network_mode: '',
    pid: '',
    privileged: '',
    restart: ': use deploy.restart_policy',
    security_opt: '',
    shm_size: '',
    userns_mode: '',
};
/** What docker/cli's stack loader refuses (`ForbiddenProperties`), with its advice. */
const FORBIDDEN = {
    extends: 'not supported by docker stack deploy',
    volume_driver: 'not supported by Swarm: set the driver on a top-level volume',
    volumes_from: 'not supported by Swarm: share a top-level volume instead',
    cpu_quota: 'not supported by Swarm: use deploy.resources',
    cpu_shares: 'not supported by Swarm: use deploy.resources',
    cpuset: 'not supported by Swarm: use deploy.resources',
    mem_limit: 'not supported by Swarm: use deploy.resources',
    memswap_limit: 'not supported by Swarm: use deploy.resources',
};
/** Makes `service` (already interpolated) a Swarm service, in place; returns what it is. */
function convertService(name, service, env, warnings) {
    const at = `services.${name}`;
    if (!isMap(service))
        throw new StackFileError(at, 'expected a mapping');
    const image = service.get('image');
    if (image === undefined || image === null || image === '')
        throw new StackFileError(at, "no 'image': Swarm does not build images ('build' is ignored)");
    if (typeof image !== 'string')
        throw new StackFileError(`${at}.image`, 'expected a string');
    for (const key of service.keys()) {
        if (Object.hasOwn(FORBIDDEN, key))
            throw new StackFileError(`${at}.${key}`, FORBIDDEN[key]);
        if (Object.hasOwn(IGNORED, key))
            warnings.push(`${at}.${key}: ignored by Swarm${IGNORED[key]}`);
    }
    dependsOnAsList(service);
    mergeDotEnv(at, service, env, warnings);
    const hostModePorts = readPorts(at, service, warnings);
    const updateOrder = setUpdateOrder(at, service, hostModePorts.length > 0);
    return { name, image, hostModePorts, updateOrder };
}
/** The v3 schema takes `depends_on` as a list only: the long form keeps just the names. */
function dependsOnAsList(service) {
    const dependsOn = service.get('depends_on');
    if (isMap(dependsOn))
        service.set('depends_on', [...dependsOn.keys()]);
}
/** The names of the action's `.env`, which Swarm would read by docker's own rules. */
const DOT_ENV = new Set(['.env', './.env']);
/**
 * `env_file: .env` (string, list or long syntax) becomes the values of `env` in `environment`,
 * under its own entries, as compose ranks them; other files stay for docker to read.
 */
function mergeDotEnv(at, service, env, warnings) {
    const envFile = service.get('env_file');
    const entries = envFile === undefined || envFile === null ? [] : [envFile].flat();
    let usesDotEnv = false;
    const kept = [];
    for (const [i, entry] of entries.entries()) {
        const file = isMap(entry) ? entry.get('path') : entry;
        if (typeof file !== 'string') {
            const where = Array.isArray(envFile) ? `${at}.env_file[${i}]` : `${at}.env_file`;
            throw new StackFileError(where, 'expected a file name');
        }
        if (DOT_ENV.has(file)) {
            usesDotEnv = true;
            continue;
        }
        // The v3 schema takes names only: a long-syntax entry keeps its path.
        kept.push(file);
        warnings.push(`${at}.env_file: ${file} is read by docker's own rules on the manager, not compose's`);
    }
    if (kept.length > 0)
        service.set('env_file', kept);
    else
        service.delete('env_file');
    const environment = readEnvironment(at, service.get('environment'), env);
    const merged = usesDotEnv ? new Map(env) : new Map();
    for (const [key, value] of environment)
        merged.set(key, value);
    if (service.has('environment') || merged.size > 0)
        service.set('environment', merged);
}
/** `environment` as a map; a bare `KEY` takes its value from `env` (else stays null). */
function readEnvironment(at, environment, env) {
    if (environment === undefined || environment === null)
        return new Map();
    const map = new Map();
    if (isMap(environment)) {
        for (const [key, value] of environment)
            map.set(key, value ?? env.get(key) ?? null);
        return map;
    }
    if (!Array.isArray(environment))
        throw new StackFileError(`${at}.environment`, 'expected a mapping or a list');
    for (const [i, item] of environment.entries()) {
        if (typeof item !== 'string')
            throw new StackFileError(`${at}.environment[${i}]`, 'expected KEY=VALUE or KEY');
        const equals = item.indexOf('=');
        if (equals < 0)
            map.set(item, env.get(item) ?? null);
        else
            map.set(item.slice(0, equals), item.slice(equals + 1));
    }
    return map;
}
/** The text of a scalar, as docker would read it as a port; undefined for anything else. */
function scalarText(node) {
    if (typeof node === 'string')
        return node.trim();
    if (typeof node === 'number')
        return String(node);
    if (node instanceof RawScalar)
        return node.source;
    return undefined;
}
/**
 * The ports published in host mode (a range `8000-8001` counts every port in it), and one
 * warning when a short-syntax entry publishes through the routing mesh.
 */
function readPorts(at, service, warnings) {
    const ports = service.get('ports');
    if (ports === undefined || ports === null)
        return [];
    if (!Array.isArray(ports))
        throw new StackFileError(`${at}.ports`, 'expected a list');
    const hostMode = [];
    let shortSyntax = false;
    for (const [i, port] of ports.entries()) {
        if (!isMap(port)) {
            shortSyntax = true;
            continue;
        }
        if (port.get('mode') !== 'host')
            continue;
        const published = scalarText(port.get('published'));
        if (published === undefined)
            continue;
        const range = /^(\d+)(?:-(\d+))?$/.exec(published);
        if (!range)
            throw new StackFileError(`${at}.ports[${i}].published`, 'expected a port number');
        const [first, last] = [Number(range[1]), Number(range[2] ?? range[1])];
        for (let p = first; p <= last; p++)
            hostMode.push(p);
    }
    if (shortSyntax) {
        warnings.push(`${at}.ports: published through Swarm's routing mesh (ingress); use mode: host to bind on the node itself`);
    }
    return hostMode;
}
/**
 * Without an `update_config`, one that keeps a replica serving (start-first), unless a
 * host-mode port would keep the new task from starting beside the old one; pauses on failure.
 */
function setUpdateOrder(at, service, hostMode) {
    let deploy = service.get('deploy');
    if (deploy === undefined || deploy === null) {
        deploy = new Map();
        service.set('deploy', deploy);
    }
    if (!isMap(deploy))
        throw new StackFileError(`${at}.deploy`, 'expected a mapping');
    const update = deploy.get('update_config');
    if (isMap(update))
        return update.get('order') === 'start-first' ? 'start-first' : 'stop-first';
    if (update !== undefined && update !== null)
        throw new StackFileError(`${at}.deploy.update_config`, 'expected a mapping');
    const order = hostMode ? 'stop-first' : 'start-first';
    deploy.set('update_config', new Map([
        ['order', order],
        ['failure_action', 'pause'],
    ]));
    return order;
}
/**
 * A file of version 3 to 3.3 is read as 3.4, the first whose schema has `update_config.order`
 * (which the action sets where a service has no `update_config`): every file of those
 * versions is one of 3.4 too.
 */
function raiseOldVersion(root, warnings) {
    const value = root.get('version');
    const text = value instanceof RawScalar ? value.source : typeof value === 'string' ? value : '';
    if (!/^3(\.[0-3])?$/.test(text.trim()))
        return;
    root.set('version', '3.4');
    warnings.push(`version: '${text.trim()}' is read as '3.4', the first with update_config.order`);
}

;// CONCATENATED MODULE: ./src/compose/rollout-plan.ts
/**
 * `mode: compose`: how each service of the compose file is rolled. A service with
 * `deploy.update_config.order: start-first` (the Compose spec's own field, which Swarm reads
 * the same way) gets its new containers beside the old ones before those stop; every other one
 * is recreated by `up -d`, as compose does it. Read on the runner, from the compose file as
 * compose will read it (its `${VAR}` substituted with the values of `env`), so a start-first
 * service that cannot run twice at once fails before any host is touched. Pure; no message
 * ever quotes a value.
 */


/** What `docker stop` waits after SIGTERM when the file says nothing (compose's default). */
const DEFAULT_GRACE_SECONDS = 10;
/** What makes two containers of one service collide on the host, and what to do instead. */
const EXCLUSIVE = {
    ports: 'publishes host ports, which its old and new containers cannot both bind: publish them on a reverse proxy in front (another service of the file, reaching this one by its service name) and remove them here',
    container_name: 'sets container_name, which its old and new containers cannot both have: remove it (the proxy in front reaches the service by its service name)',
    network_mode: 'shares a network stack where its old and new containers would bind the same ports: remove network_mode, and put a reverse proxy in front',
};
/**
 * The rollout plan of the compose file's tree (see `readComposeTree`), or null when no service
 * is start-first. Throws `ComposeFileError` for a start-first service that cannot run twice at
 * once (host `ports`, `container_name`, `network_mode`) or a value compose would refuse.
 */
function rolloutPlan(root) {
    if (!isMap(root))
        return null;
    const services = root.get('services');
    if (!isMap(services))
        return null;
    const startFirst = new Map();
    for (const [name, service] of services) {
        if (!isMap(service) || !isStartFirst(service))
            continue;
        const at = `services.${name}`;
        for (const key of Object.keys(EXCLUSIVE)) {
            if (!present(service.get(key)))
                continue;
            if (key === 'network_mode' && !/^(host|container:|service:)/.test(rollout_plan_text(service.get(key))))
                continue;
            throw new StackFileError(`${at}.${key}`, `the service is start-first (deploy.update_config.order), but it ${EXCLUSIVE[key]}; or roll it by recreating (drop update_config.order)`);
        }
        const replicas = readReplicas(at, service);
        if (replicas === 0)
            continue;
        startFirst.set(name, {
            name,
            replicas,
            stopGraceSeconds: readDuration(`${at}.stop_grace_period`, service.get('stop_grace_period')),
            healthcheck: readHealthcheck(service.get('healthcheck')),
        });
    }
    if (startFirst.size === 0)
        return null;
    const order = dependencyOrder(services);
    return {
        startFirst: order.flatMap((name) => startFirst.get(name) ?? []),
        recreate: order.filter((name) => !startFirst.has(name)),
    };
}
function isStartFirst(service) {
    const deploy = service.get('deploy');
    const update = isMap(deploy) ? deploy.get('update_config') : undefined;
    return isMap(update) && update.get('order') === 'start-first';
}
const present = (node) => node !== undefined &&
    node !== null &&
    node !== '' &&
    !(Array.isArray(node) && node.length === 0) &&
    !(isMap(node) && node.size === 0);
function rollout_plan_text(node) {
    if (typeof node === 'string')
        return node.trim();
    if (node instanceof RawScalar)
        return node.source;
    if (typeof node === 'number' || typeof node === 'boolean')
        return String(node);
    return '';
}
/** `deploy.replicas`, else `scale`, else 1. */
function readReplicas(at, service) {
    const deploy = service.get('deploy');
    const fromDeploy = isMap(deploy) ? deploy.get('replicas') : undefined;
    const [path, node] = present(fromDeploy)
        ? [`${at}.deploy.replicas`, fromDeploy]
        : [`${at}.scale`, service.get('scale')];
    if (!present(node))
        return 1;
    const value = rollout_plan_text(node);
    if (!/^\d{1,3}$/.test(value))
        throw new StackFileError(path, 'expected a whole number up to 999');
    return Number(value);
}
const UNIT_SECONDS = {
    h: 3600,
    m: 60,
    s: 1,
    ms: 1e-3,
    us: 1e-6,
    µs: 1e-6,
    ns: 1e-9,
};
/** A compose duration (`1m30s`, `10s`, `500ms`, or bare seconds) as whole seconds, rounded up. */
function readDuration(path, node) {
    if (!present(node))
        return DEFAULT_GRACE_SECONDS;
    const value = rollout_plan_text(node);
    if (/^\d+(\.\d+)?$/.test(value))
        return Math.ceil(Number(value));
    const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value)
        throw new StackFileError(path, `expected a duration such as '10s' or '1m30s'`);
    const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit], 0);
    return Math.min(3600, Math.ceil(seconds));
}
/** true: the file gives a healthcheck; false: it disables one; null: it says nothing. */
function readHealthcheck(node) {
    if (!isMap(node))
        return null;
    if (node.get('disable') === true || rollout_plan_text(node.get('disable')) === 'true')
        return false;
    const test = node.get('test');
    const first = Array.isArray(test) ? rollout_plan_text(test[0]) : rollout_plan_text(test);
    if (first === 'NONE')
        return false;
    return present(test) ? true : null;
}
/** Every service, each after the ones it depends on (`depends_on`), else in file order. */
function dependencyOrder(services) {
    const order = [];
    const visiting = new Set();
    const visit = (name) => {
        if (order.includes(name) || visiting.has(name) || !services.has(name))
            return;
        visiting.add(name);
        const service = services.get(name);
        const deps = isMap(service) ? service.get('depends_on') : undefined;
        const names = isMap(deps) ? [...deps.keys()] : Array.isArray(deps) ? deps.map(rollout_plan_text) : [];
        for (const dep of names)
            visit(dep);
        visiting.delete(name);
        order.push(name);
    };
    for (const name of services.keys())
        visit(name);
    return order;
}

// EXTERNAL MODULE: ./src/env/interpolate.ts
var interpolate = __webpack_require__(2516);
;// CONCATENATED MODULE: ./src/swarm/stack-file.ts



/** The version docker CLI 20.10's stack loader reads everything this file may hold in. */
const STACK_VERSION = '3.8';
/** Aliases a compose file may expand (yaml's guard against an exponential document). */
const MAX_ALIAS_COUNT = 10_000;
/**
 * Renders `composeText` as a stack file with the values of `env`; `yaml` is the yaml module
 * (loaded lazily by the caller). Throws `StackFileError` for what Swarm could not deploy.
 */
function renderStack(composeText, env, yaml) {
    const values = new Map(env.map((v) => [v.key, v.value]));
    const warnings = [];
    const unset = new Set();
    const root = stack_file_interpolate(stack_file_parse(composeText, yaml), [], values, unset);
    for (const name of unset)
        warnings.push(`variable ${name} is not set in 'env': an empty string is used`);
    if (!isMap(root))
        throw new StackFileError('', 'the compose file is not a mapping');
    const services = root.get('services');
    if (!isMap(services))
        throw new StackFileError('services', 'expected a mapping of services');
    const converted = [...services].map(([name, service]) => convertService(name, service, values, warnings));
    root.delete('name');
    raiseOldVersion(root, warnings);
    const stack = root.has('version') ? root : new Map([['version', STACK_VERSION]]);
    if (stack !== root)
        for (const [key, value] of root)
            stack.set(key, value);
    return { text: `${emit(stack, '', [])}\n`, services: converted, warnings };
}
/** The document as a tree, anchors, aliases and merge keys resolved. */
function stack_file_parse(text, yaml) {
    const document = yaml.parseDocument(text, { merge: true });
    const [error] = document.errors;
    if (error) {
        const first = error.message.split('\n')[0].replace(/:$/, '');
        throw new StackFileError('', `the compose file is not YAML: ${first}`);
    }
    // A plain number or boolean is written back as it was: docker reads `0440` or `1e3` its way;
    // a plain key that is no string (`NULL:`, `8080:`) is the string it was written as.
    yaml.visit(document, {
        Scalar(key, node) {
            if (typeof node.value === 'string' || node.type !== 'PLAIN' || node.tag)
                return;
            if (key === 'key')
                node.value = node.source ?? '';
            else if (typeof node.value === 'number' || typeof node.value === 'boolean')
                node.value = new RawScalar(node.source ?? String(node.value));
        },
    });
    try {
        return document.toJS({ mapAsMap: true, maxAliasCount: MAX_ALIAS_COUNT });
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new StackFileError('', `the compose file cannot be read: ${message.split('\n')[0]}`);
    }
}
/**
 * yaml's JS value as a tree of string keys, every string value substituted (keys never are)
 * and cast where docker casts what it substitutes.
 */
function stack_file_interpolate(node, path, values, unset) {
    const inner = (item, at) => stack_file_interpolate(item, [...path, at], values, unset);
    if (Array.isArray(node))
        return node.map((item, i) => inner(item, i));
    if (node instanceof Map) {
        const map = new Map();
        for (const [key, item] of node) {
            if (key !== null && typeof key === 'object')
                throw new StackFileError(formatPath(path), 'a mapping key must be a scalar');
            map.set(String(key), inner(item, String(key)));
        }
        return map;
    }
    if (node === undefined || node === null)
        return null;
    if (typeof node === 'object' && !(node instanceof RawScalar))
        throw new StackFileError(formatPath(path), 'a value of a type compose does not read');
    if (typeof node !== 'string')
        return node;
    let result;
    try {
        result = (0,interpolate/* substitute */.V2)(node, { lookup: (name) => values.get(name), onUnset: (n) => unset.add(n) });
    }
    catch (error) {
        if (error instanceof interpolate/* RequiredVariableError */.wc)
            throw new StackFileError(formatPath(path), error.message);
        if (error instanceof interpolate/* InvalidTemplateError */.Id) {
            const hint = 'a ${ that starts no ${NAME}, ${NAME:-default} or the like (write $$ for a $)';
            throw new StackFileError(formatPath(path), `invalid template: ${hint}`);
        }
        throw error;
    }
    return result === node ? node : cast(path, result);
}
const servicePath = (pattern, as) => [`services.*.${pattern}`, as];
/**
 * docker/cli's `interpolateTypeCastMapping`: where its loader turns a substituted string into
 * a number or a boolean (`*` any key, `[]` any item). Substituted here, they are cast here.
 */
const CASTS = [
    servicePath('configs.[].mode', 'int'),
    servicePath('secrets.[].mode', 'int'),
    servicePath('healthcheck.retries', 'int'),
    servicePath('healthcheck.disable', 'bool'),
    servicePath('deploy.replicas', 'int'),
    servicePath('deploy.update_config.parallelism', 'int'),
    servicePath('deploy.update_config.max_failure_ratio', 'float'),
    servicePath('deploy.rollback_config.parallelism', 'int'),
    servicePath('deploy.rollback_config.max_failure_ratio', 'float'),
    servicePath('deploy.restart_policy.max_attempts', 'int'),
    servicePath('deploy.placement.max_replicas_per_node', 'int'),
    servicePath('ports.[].target', 'int'),
    servicePath('ports.[].published', 'int'),
    servicePath('ulimits.*', 'int'),
    servicePath('ulimits.*.hard', 'int'),
    servicePath('ulimits.*.soft', 'int'),
    servicePath('privileged', 'bool'),
    servicePath('read_only', 'bool'),
    servicePath('stdin_open', 'bool'),
    servicePath('tty', 'bool'),
    servicePath('volumes.[].read_only', 'bool'),
    servicePath('volumes.[].volume.nocopy', 'bool'),
    ...['networks', 'volumes', 'secrets', 'configs'].map((kind) => [`${kind}.*.external`, 'bool']),
    ['networks.*.internal', 'bool'],
    ['networks.*.attachable', 'bool'],
];
const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** docker/cli's `toBoolean` (YAML 1.1's words, in any case). */
const BOOLEANS = new Map([
    ...['y', 'yes', 'true', 'on'].map((word) => [word, true]),
    ...['n', 'no', 'false', 'off'].map((word) => [word, false]),
]);
/** `value`, substituted at `path`, as docker would cast it there (an error where it could not). */
function cast(path, value) {
    const pattern = path.map((part) => (typeof part === 'number' ? '[]' : part));
    const matches = (rule) => {
        const parts = rule.split('.');
        return (parts.length === pattern.length &&
            parts.every((p, i) => p === pattern[i] || (p === '*' && typeof path[i] === 'string')));
    };
    const as = CASTS.find(([rule]) => matches(rule))?.[1];
    if (as === undefined)
        return value;
    const bool = BOOLEANS.get(value.toLowerCase());
    if (as === 'int' && INT.test(value))
        return new RawScalar(BigInt(value).toString());
    if (as === 'float' && FLOAT.test(value))
        return Number(value);
    if (as === 'bool' && bool !== undefined)
        return bool;
    const expected = { int: 'an integer', float: 'a number', bool: 'a boolean' }[as];
    throw new StackFileError(formatPath(path), `expected ${expected} once substituted (docker casts it)`);
}
/** The tree as block YAML, `indent` before each line, without a final newline. */
function emit(node, indent, path) {
    const inner = `${indent}  `;
    if (isMap(node) && node.size > 0) {
        return [...node]
            .map(([key, value]) => {
            const head = `${indent}${formatKey(key, path)}:`;
            const at = [...path, key];
            return isBlock(value)
                ? `${head}\n${emit(value, inner, at)}`
                : `${head} ${scalar(value, at)}`;
        })
            .join('\n');
    }
    if (Array.isArray(node) && node.length > 0) {
        return node
            .map((item, i) => {
            if (!isBlock(item))
                return `${indent}- ${scalar(item, [...path, i])}`;
            // The item's first line follows its `- `; the others are indented to match.
            return `${indent}- ${emit(item, inner, [...path, i]).slice(inner.length)}`;
        })
            .join('\n');
    }
    return `${indent}${scalar(node, path)}`;
}
const isBlock = (node) => (isMap(node) && node.size > 0) || (Array.isArray(node) && node.length > 0);
/** A key plain where no YAML 1.1 reader could take it for anything but that string. */
function formatKey(key, path) {
    const plain = /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(key) &&
        !/^(?:y|n|yes|no|on|off|true|false|null)$/i.test(key);
    return plain ? key : quote(key, path);
}
/** A scalar; a string with every `$` doubled, which docker's own interpolation makes one. */
function scalar(node, path) {
    if (node === null)
        return 'null';
    if (node instanceof RawScalar)
        return node.source;
    if (typeof node === 'boolean')
        return String(node);
    if (typeof node === 'number') {
        if (Number.isNaN(node))
            return '.nan';
        if (!Number.isFinite(node))
            return node > 0 ? '.inf' : '-.inf';
        return String(node);
    }
    if (typeof node === 'string')
        return quote(node.replaceAll('$', () => '$$'), path);
    return isMap(node) ? '{}' : '[]';
}
/**
 * `text` double-quoted: printable characters as they are, every other one (and the line
 * breaks YAML 1.1 knows: U+0085, U+2028, U+2029) as an escape, so no line is ever folded.
 */
function quote(text, path) {
    let out = '"';
    for (const char of text) {
        const code = char.codePointAt(0);
        if (char === '"' || char === '\\')
            out += `\\${char}`;
        else if (printable(code))
            out += char;
        else if (code >= 0xd800 && code <= 0xdfff)
            throw new StackFileError(formatPath(path), 'a lone UTF-16 surrogate, which YAML cannot carry');
        else if (ESCAPES[char])
            out += ESCAPES[char];
        else
            out += code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
    }
    return `${out}"`;
}
const ESCAPES = {
    '\0': '\\0',
    '\t': '\\t',
    '\n': '\\n',
    '\r': '\\r',
};
const hex = (code, digits) => code.toString(16).toUpperCase().padStart(digits, '0');
/** YAML 1.1's printable set, less its line breaks and the byte order mark. */
function printable(code) {
    if (code >= 0x20 && code <= 0x7e)
        return true;
    if (code === 0x85 || code === 0x2028 || code === 0x2029 || code === 0xfeff)
        return false;
    return (code >= 0xa0 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
}

;// CONCATENATED MODULE: ./src/swarm/compose-tree.ts

/** The tree of `composeText`; throws `StackFileError` for what no compose could read. */
function readComposeTree(composeText, env, yaml) {
    const values = new Map(env.map((v) => [v.key, v.value]));
    return stack_file_interpolate(stack_file_parse(composeText, yaml), [], values, new Set());
}

;// CONCATENATED MODULE: ./src/inputs/rollout.ts
/**
 * `mode: compose`: the rollout plan of the compose file (see compose/rollout-plan.ts), read
 * once here so that a start-first service that cannot run twice at once fails as an input
 * error, before any host is contacted.
 */



/**
 * The plan, or null (swarm mode rolls its own way; a file without start-first services keeps
 * `up -d` alone). A file that mentions no `start-first` is not read further: compose reads
 * it on the host as before, whatever this reader would make of it.
 */
function readRollout(swarm, source) {
    const text = source.composeContent.toString('utf8');
    if (swarm || !text.includes('start-first'))
        return null;
    let plan;
    try {
        plan = rolloutPlan(readComposeTree(text, source.env, source.yaml));
    }
    catch (error) {
        if (!(error instanceof StackFileError))
            throw error;
        fail('compose-file', `a compose file whose start-first services can be rolled: ${error.message}`);
    }
    return plan;
}

// EXTERNAL MODULE: external "node:path/posix"
var posix_ = __webpack_require__(3916);
var posix_default = /*#__PURE__*/__webpack_require__.n(posix_);
;// CONCATENATED MODULE: ./src/inputs/stack.ts
/**
 * `mode` and `stack`: in `mode: swarm` the compose file becomes a Swarm stack, its file
 * rendered here, on the runner, with the values of `env` (see `renderStack`), so a bad
 * template fails before any host is contacted.
 */




/** The values `mode` accepts. */
const MODES = ['compose', 'swarm'];
/** A stack name Swarm accepts and that makes valid service names (`<stack>_<service>`). */
const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
/** The stack of `mode: swarm`, or null in `mode: compose`. */
function readStack(read, source) {
    const mode = oneOf(read, 'mode', MODES, 'compose');
    if (mode === 'compose') {
        if (read('stack') !== '')
            fail('stack', `nothing unless 'mode' is 'swarm'`);
        return null;
    }
    // strategy's default, `parallel`, is what the runner passes when it is not set.
    const fleet = read('strategy') === 'rolling' ? 'strategy' : read('max-parallel') ? 'max-parallel' : null;
    if (fleet) {
        fail(fleet, `nothing with mode 'swarm', whose hosts are managers of one swarm, tried in order`);
    }
    const name = read('stack') || defaultStackName(source.appDir);
    if (!STACK_NAME.test(name)) {
        fail('stack', `a stack name of letters, digits, '_' and '-' (at most 63), got '${name}'`);
    }
    let rendered;
    try {
        rendered = renderStack(source.composeContent.toString('utf8'), source.env, source.yaml);
    }
    catch (error) {
        if (!(error instanceof StackFileError))
            throw error;
        fail('compose-file', `a stack file Swarm can deploy: ${error.message}`);
    }
    const longest = Math.max(0, ...rendered.services.map((service) => service.name.length));
    if (name.length + 1 + longest > 63) {
        fail('stack', `a name short enough for Swarm's service names (<stack>_<service>, at most 63 characters), got '${name}'`);
    }
    for (const warning of rendered.warnings)
        core/* warning */.$e(`Input 'compose-file' (mode swarm): ${warning}`);
    return { name, file: Buffer.from(rendered.text), services: rendered.services };
}
/** app-dir's last part, as a stack name (what compose mode would take as the project). */
function defaultStackName(appDir) {
    return (posix_default().basename(appDir)
        .replace(/[^a-zA-Z0-9_-]/g, '')
        .replace(/^[_-]+/, '') || 'monarch');
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/inputs/workspace-files.ts
/**
 * The inputs that name workspace files: the compose file and the extra `files`. A workspace may
 * hold what a pull request slipped in, so each file is opened without following a link at its
 * own name, must be a regular file whose real path lies in the workspace (or in RUNNER_TEMP, for
 * a file an earlier step rendered), and is read from the descriptor that was checked: what is
 * uploaded is what was checked, whatever happens to the path afterwards.
 */



/** Files are configs: anything larger is refused rather than held in memory. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
/** The workspace the runner checked out into (the current folder outside Actions). */
function workspaceDir() {
    return process.env.GITHUB_WORKSPACE || process.cwd();
}
/** The folders uploaded files may come from: the workspace and the runner's temporary folder. */
function allowedRoots(workspace) {
    return [workspace, process.env.RUNNER_TEMP]
        .filter((dir) => Boolean(dir))
        .flatMap((dir) => {
        try {
            return [(0,external_node_fs_.realpathSync)(dir)];
        }
        catch {
            return [];
        }
    });
}
function kindOf(stat) {
    if (stat.isDirectory())
        return 'a folder';
    if (stat.isFIFO())
        return 'a named pipe';
    if (stat.isCharacterDevice() || stat.isBlockDevice())
        return 'a device';
    if (stat.isSocket())
        return 'a socket';
    return 'not a regular file';
}
/** The path the kernel opened for `fd` (Linux), else the resolved `file`. */
function openedPath(fd, file) {
    try {
        return (0,external_node_fs_.readlinkSync)(`/proc/self/fd/${fd}`);
    }
    catch {
        return (0,external_node_fs_.realpathSync)(file);
    }
}
/**
 * Reads `file` for `input` (`shown` names it in errors): a regular file inside `roots`, its own
 * name not a symbolic link, read from the descriptor that was checked.
 */
function readWorkspaceFile(input, file, shown, roots) {
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(file, external_node_fs_.constants.O_RDONLY | external_node_fs_.constants.O_NOFOLLOW | external_node_fs_.constants.O_NONBLOCK);
    }
    catch (error) {
        const code = error.code;
        if (code === 'ELOOP')
            fail(input, `a regular file in the workspace, but ${shown} is a symbolic link`);
        if (code === 'ENOENT' || code === 'ENOTDIR')
            fail(input, `a file in the workspace, but ${shown} does not exist`);
        return fail(input, `a readable file in the workspace, but ${shown} cannot be opened (${code})`);
    }
    try {
        const stat = (0,external_node_fs_.fstatSync)(fd);
        if (!stat.isFile())
            fail(input, `a regular file in the workspace, but ${shown} is ${kindOf(stat)}`);
        const real = openedPath(fd, file);
        if (!roots.some((root) => real === root || real.startsWith(`${root}${(external_node_path_default()).sep}`)))
            fail(input, `a file inside the workspace, but ${shown} is ${real}, outside it`);
        if (stat.size > MAX_FILE_BYTES)
            fail(input, `a file of at most ${MAX_FILE_BYTES / 1024 / 1024} MiB, but ${shown} has ${stat.size} bytes`);
        return { content: (0,external_node_fs_.readFileSync)(fd), mode: stat.mode & 0o755 };
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** `compose-file`: where it is, and what it holds, checked to be a compose file. */
function readComposeFile(read, workspace, parseYaml) {
    const entry = read('compose-file') || 'docker-compose.yml';
    const file = external_node_path_default().resolve(workspace, entry);
    const { content } = readWorkspaceFile('compose-file', file, file, allowedRoots(workspace));
    const document = parseYaml(content.toString('utf8'));
    if (document.errors.length > 0) {
        fail('compose-file', `valid YAML in ${file}: ${document.errors[0].message.split('\n')[0]}`);
    }
    const parsed = document.toJS();
    if (typeof parsed !== 'object' || parsed === null || !('services' in parsed)) {
        fail('compose-file', `a compose file with a 'services' section, got ${file} without one`);
    }
    return { composeFile: file, composeContent: content };
}
/** `files`: one path per line, each uploaded under its path relative to the compose file. */
function readUploadFiles(read, composeFile, workspace) {
    const composeDir = external_node_path_default().dirname(composeFile);
    const roots = allowedRoots(workspace);
    return read('files')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((entry) => uploadFile(entry, composeDir, workspace, roots));
}
function uploadFile(entry, composeDir, workspace, roots) {
    const localPath = external_node_path_default().resolve(workspace, entry);
    const remoteName = external_node_path_default().relative(composeDir, localPath).split((external_node_path_default()).sep).join('/');
    if (remoteName.startsWith('..') ||
        !/^[A-Za-z0-9._/-]+$/.test(remoteName) ||
        remoteName.split('/').some((part) => part.startsWith('-') || part === '.' || part === '')) {
        fail('files', `files inside the compose file's folder named with letters, digits and '/._-' (no part starting with '-'), got '${entry}'`);
    }
    if (remoteName === 'docker-compose.yml' ||
        remoteName === '.env' ||
        remoteName.split('/')[0] === '.monarch' ||
        remoteName.split('/').some((part) => part.startsWith('.monarch'))) {
        fail('files', `files other than docker-compose.yml, .env and .monarch*, got '${entry}'`);
    }
    const { content, mode } = readWorkspaceFile('files', localPath, entry, roots);
    return { localPath, remoteName, content, mode };
}

;// CONCATENATED MODULE: ./src/inputs/index.ts
/**
 * Every input of action.yml, read, validated and masked once, into one frozen `Inputs` object.
 * Nothing here touches the network: bad input fails before any host is contacted.
 */















/** The inputs that hold secrets: masked before any other input is read. */
const SECRET_INPUTS = [
    'ssh-private-key',
    'ssh-passphrase',
    'proxy-private-key',
    'proxy-passphrase',
    'registry-password',
    'slack-webhook-url',
    'slack-bot-token',
    'github-token',
    'digitalocean-token',
];
function maskSecretInputs(read) {
    for (const name of SECRET_INPUTS)
        readSecret(read, name, name.endsWith('private-key') === false);
}
/**
 * Builds `Inputs` from the step's inputs, masking every secret first. Every input is checked
 * before any error is thrown, so that all the invalid ones are reported at once (an input that
 * needs another, such as `files` the compose file, is checked once that one is valid). The
 * checks that need no parser (`env`, `host`, the API URL overrides in `environment`) come
 * first; the key and YAML parsers load after.
 */
async function getInputs(read = core/* getInput */.V4, workspace = workspaceDir(), environment = process.env) {
    maskSecretInputs(read);
    const checks = new InputChecks();
    const check = (reader) => checks.check(reader);
    check(() => checkEnvironment(environment));
    const env = check(() => readEnv(read));
    check(() => readHosts(read));
    const { parseKey, parseYaml, yaml } = await loadInputParsers();
    const connection = readConnection(read, parseKey, checks);
    const compose = check(() => readComposeFile(read, workspace, parseYaml));
    const commandTimeoutMs = check(() => seconds(read, 'command-timeout', 300, false));
    // What the stack file and the rollout plan are read from, once the inputs they need are valid.
    const source = connection.appDir !== undefined && compose && env
        ? { appDir: connection.appDir, ...compose, env, yaml }
        : undefined;
    const values = {
        ...connection,
        ...compose,
        files: compose && check(() => readUploadFiles(read, compose.composeFile, workspace)),
        env,
        setupMarker: check(() => optionalPath('setup-marker', read('setup-marker'))),
        setupTimeoutMs: check(() => seconds(read, 'setup-timeout', 600, false)),
        commandTimeoutMs,
        ...check(() => readRegistry(read)),
        registryLogout: check(() => read_boolean(read, 'registry-logout', true)),
        healthTimeoutMs: check(() => seconds(read, 'health-timeout', 120, true)),
        rollback: check(() => read_boolean(read, 'rollback', true)),
        prune: check(() => read_boolean(read, 'prune', true)),
        slack: check(() => readSlack(read)),
        ...check(() => readGitHub(read)),
        lockTimeoutMs: check(() => seconds(read, 'lock-timeout', 300, true)),
        dryRun: check(() => read_boolean(read, 'dry-run', false)),
        ...check(() => readStrategy(read)),
        stack: check(() => (source ? readStack(read, source) : null)),
        // After `stack`, which has checked `mode`.
        rollout: check(() => (source ? readRollout(read('mode') === 'swarm', source) : null)),
        releaseCommand: check(() => compose && commandTimeoutMs !== undefined
            ? readReleaseCommand(read, { ...compose, commandTimeoutMs, yaml })
            : null),
    };
    checks.done();
    // Every check passed: each value above is set.
    return Object.freeze(values);
}
/**
 * `env`, read as compose reads a `.env` file; every value masked, then a warning for each
 * value the rules change (naming the line and the key, never the value).
 */
function readEnv(read) {
    const text = read('env', { trimWhitespace: false });
    const { vars, notes } = wrap('env', () => (0,parse/* parseEnv */.v)(text));
    for (const variable of vars)
        (0,secrets/* registerSecret */.cl)(variable.value);
    for (const note of notes)
        core/* warning */.$e(`Input 'env', line ${note.line} (${note.key}): ${note.text}`);
    return vars;
}
function readStrategy(read) {
    const strategy = oneOf(read, 'strategy', ['parallel', 'rolling'], 'parallel');
    const given = read('max-parallel') !== '';
    const maxParallel = given ? integer(read, 'max-parallel', 0, 1, 1000) : Infinity;
    if (strategy === 'rolling' && given && maxParallel !== 1) {
        fail('max-parallel', `1 (or nothing) with strategy 'rolling', which deploys one host at a time`);
    }
    return { strategy, maxParallel };
}
/**
 * Only what reaching the hosts takes (addresses, user, keys, host keys, app-dir, jump host):
 * all the post step needs, so it still runs when a later step removed the compose file.
 */
async function getConnectionInputs(read = core/* getInput */.V4) {
    maskSecretInputs(read);
    const checks = new InputChecks();
    checks.check(() => readHosts(read));
    const { parseKey } = await loadInputParsers();
    const connection = readConnection(read, parseKey, checks);
    checks.done();
    return Object.freeze(connection);
}
/**
 * The Slack settings alone, read leniently, for reporting a run whose other inputs are invalid
 * (an invalid `notify-on` falls back to `always`; an unusable webhook URL is left out).
 */
function readSlackSettings(read = core/* getInput */.V4) {
    return readSlackLeniently(read);
}


/***/ }),

/***/ 3441:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   LU: () => (/* binding */ fetchDigitalOceanRegistryLogin),
/* harmony export */   nu: () => (/* binding */ DIGITALOCEAN_REGISTRY)
/* harmony export */ });
/* unused harmony exports DEFAULT_DIGITALOCEAN_API_URL, DigitalOceanError, digitalOceanApiUrl, parseDockerConfig */
/* harmony import */ var _http_api_url_override_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4597);
/* harmony import */ var _http_bounded_body_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5242);
/* harmony import */ var _remote_text_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8217);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7194);
/**
 * Registry credentials from a DigitalOcean API token: the API hands out a docker login for
 * registry.digitalocean.com that expires on its own, read-only, so the droplet never holds the
 * API token itself (which can do anything the account can).
 */




/** Where the DigitalOcean API lives. */
const DEFAULT_DIGITALOCEAN_API_URL = 'https://api.digitalocean.com';
/** The registry the credentials are for. */
const DIGITALOCEAN_REGISTRY = 'registry.digitalocean.com';
/** The API refused, failed, or answered something that is not a docker login. */
class DigitalOceanError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DigitalOceanError';
    }
}
/**
 * The API's base URL. `MONARCH_DIGITALOCEAN_API_URL` exists for tests, to reach a local
 * stand-in; it is deliberately not an input, and only a loopback address is honoured.
 */
function digitalOceanApiUrl(env = process.env) {
    return (0,_http_api_url_override_js__WEBPACK_IMPORTED_MODULE_0__/* .apiBaseUrl */ .tj)('MONARCH_DIGITALOCEAN_API_URL', DEFAULT_DIGITALOCEAN_API_URL, env).replace(/\/+$/, '');
}
/**
 * Asks DigitalOcean for read-only registry credentials valid for `expirySeconds`, masks them,
 * and returns them for `docker login`.
 */
async function fetchDigitalOceanRegistryLogin(token, expirySeconds, options = {}) {
    if (!token)
        throw new DigitalOceanError("'digitalocean-token' is empty");
    if (!Number.isInteger(expirySeconds) || expirySeconds <= 0) {
        throw new DigitalOceanError(`the credentials' lifetime must be a whole number of seconds, got ${expirySeconds}`);
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    const url = new URL(`${digitalOceanApiUrl(options.env)}/v2/registry/docker-credentials`);
    url.searchParams.set('expiry_seconds', String(expirySeconds));
    url.searchParams.set('read_write', 'false');
    const signal = AbortSignal.timeout(timeoutMs);
    let response;
    let body;
    try {
        response = await fetch(url, {
            headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
            // A redirect would carry the token to wherever it points.
            redirect: 'error',
            signal,
        });
        body = await (0,_http_bounded_body_js__WEBPACK_IMPORTED_MODULE_1__/* .readBoundedText */ .Ht)(response, 'the DigitalOcean API');
    }
    catch (error) {
        if (error instanceof _http_bounded_body_js__WEBPACK_IMPORTED_MODULE_1__/* .ResponseTooLargeError */ .by)
            throw new DigitalOceanError(error.message);
        if (signal.aborted) {
            throw new DigitalOceanError(`the DigitalOcean API did not answer within ${timeoutMs / 1000} s`);
        }
        throw new DigitalOceanError(`could not reach the DigitalOcean API: ${reason(error)}`);
    }
    if (response.status === 401 || response.status === 403) {
        throw new DigitalOceanError(`DigitalOcean refused 'digitalocean-token' (HTTP ${response.status}${apiMessage(body)}): ` +
            'the token is invalid or expired, or lacks the registry read scope; create one with ' +
            'registry read access and store it as the secret you pass as digitalocean-token');
    }
    if (!response.ok) {
        const hint = response.status === 404 ? ': does this account have a container registry?' : '';
        throw new DigitalOceanError(`the DigitalOcean registry credentials request failed (HTTP ${response.status}${apiMessage(body)})${hint}`);
    }
    return parseDockerConfig(body);
}
/**
 * Reads `{"auths":{"registry.digitalocean.com":{"auth":"<base64 user:password>"}}}` and masks
 * what it holds. An error never quotes the answer: it may hold the credentials.
 */
function parseDockerConfig(body) {
    const malformed = (what) => new DigitalOceanError(`the DigitalOcean API answered something that is not a docker login (${what}); ` +
        'is MONARCH_DIGITALOCEAN_API_URL (if set) right?');
    let config;
    try {
        config = JSON.parse(body);
    }
    catch {
        throw malformed('not JSON');
    }
    const auths = field(config, 'auths');
    const auth = field(field(auths, DIGITALOCEAN_REGISTRY), 'auth');
    if (typeof auth !== 'string' || auth === '') {
        throw malformed(`no auths["${DIGITALOCEAN_REGISTRY}"].auth`);
    }
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .registerSecret */ .cl)(auth);
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!/^[A-Za-z0-9+/]+=*$/.test(auth) || colon <= 0 || colon === decoded.length - 1) {
        throw malformed('auth is not base64 of user:password');
    }
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    // DigitalOcean makes the user name a token too, so it is as secret as the password.
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .registerSecret */ .cl)(decoded);
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .registerSecret */ .cl)(password);
    (0,_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .registerSecret */ .cl)(username);
    return { server: DIGITALOCEAN_REGISTRY, username, password };
}
function field(value, name) {
    return typeof value === 'object' && value !== null
        ? value[name]
        : undefined;
}
/** DigitalOcean's own error text (`{"id":"unauthorized","message":"Unable to authenticate you"}`). */
function apiMessage(body) {
    try {
        const message = field(JSON.parse(body), 'message');
        return typeof message === 'string' && message ? `: ${(0,_remote_text_js__WEBPACK_IMPORTED_MODULE_2__/* .oneLine */ .TN)(message.slice(0, 200))}` : '';
    }
    catch {
        return '';
    }
}
function reason(error) {
    if (!(error instanceof Error))
        return String(error);
    return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}


/***/ }),

/***/ 8217:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $d: () => (/* binding */ untrustedError),
/* harmony export */   Qi: () => (/* binding */ printUntrusted),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   UV: () => (/* binding */ firstLines),
/* harmony export */   w$: () => (/* binding */ lastLines)
/* harmony export */ });
/* unused harmony exports escapeControls, hasCommandLine */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/**
 * Text that came from somewhere the action does not control (a host, a container, compose, an
 * SSH server before its key was checked, an HTTP answer), made safe to show. The runner reads a
 * step's stdout and stderr line by line, ending a line at `\n` and at a lone `\r` (.NET's
 * ReadLine), and runs as a workflow command a line that starts with `::` after leading spaces,
 * or holds `##[` anywhere (the older form): remote text must never do either.
 */

/** Control characters other than tab and newline, and the Unicode line separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;
function escapeChar(char) {
    if (char === '\r')
        return '\\r';
    const code = char.charCodeAt(0);
    return code > 0xff
        ? `\\u${code.toString(16).padStart(4, '0')}`
        : `\\x${code.toString(16).padStart(2, '0')}`;
}
/**
 * `text` with CR (but for CRLF line ends) and every other control character shown escaped,
 * and `##[` (a command wherever it is in a line) shown as `#\#[`.
 */
function escapeControls(text) {
    return text.replace(/\r\n/g, '\n').replace(CONTROL, escapeChar).replace(/##\[/g, '#\\#[');
}
/** `text` on one line: newlines shown as `\n` too. */
function oneLine(text) {
    return escapeControls(text).replace(/\n/g, '\\n').replace(/\t/g, ' ');
}
/** True when a line of `text` would be a workflow command if printed as it is. */
function hasCommandLine(text) {
    return /^\s*::/m.test(text) || text.includes('##[');
}
/**
 * Lines to print with `print` (core.info), as text whatever they hold: control characters
 * escaped and, when a line looks like a workflow command, the lines framed by
 * `::stop-commands::` and a token nobody can guess, so the runner runs none of them.
 */
function printUntrusted(text, print) {
    const safe = escapeControls(text);
    if (!hasCommandLine(safe)) {
        print(safe);
        return;
    }
    const token = `monarch-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomUUID)()}`;
    print(`::stop-commands::${token}`);
    print(safe);
    print(`::${token}::`);
}
/**
 * The first `count` non-empty lines of command output (and how many more there were), for an
 * error message whose most important lines come first; control characters escaped.
 */
function firstLines(text, count) {
    const lines = escapeControls(text)
        .split('\n')
        .map((line) => line.trimEnd())
        .filter(Boolean);
    const more = lines.length - count;
    return [...lines.slice(0, count), ...(more > 0 ? [`(${more} more lines)`] : [])].join('\n');
}
/** The last few non-empty lines of command output, for an error message, control characters escaped. */
function lastLines(text, count = 5) {
    return escapeControls(text)
        .split('\n')
        .map((line) => line.trimEnd())
        .filter(Boolean)
        .slice(-count)
        .join('\n');
}
/** `error` with its message (which may quote a server) on one line; its code kept. */
function untrustedError(error) {
    if (!(error instanceof Error))
        return new Error(oneLine(String(error)));
    const safe = new Error(oneLine(error.message));
    for (const key of ['code', 'level']) {
        const value = error[key];
        if (value !== undefined)
            safe[key] = value;
    }
    return safe;
}


/***/ }),

/***/ 7194:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   cl: () => (/* binding */ registerSecret)
/* harmony export */ });
/* unused harmony exports registeredSecrets, forgetSecrets */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4116);
/**
 * Every secret the run holds, from its inputs and obtained while it runs (a registry login from
 * DigitalOcean, the docker auth written to a host): masked in the log the moment it is known,
 * and kept so that text sent elsewhere (Slack) can be redacted the same way.
 */

/** Shorter values are not masked: they would blank out ordinary words. */
const MIN_LENGTH = 4;
const known = new Set();
/**
 * Masks `value` and the forms a log could show it in: each line of a multi-line value and
 * the base64 of each; remembered for `redact`. Each form is registered with the runner once,
 * however often it is met.
 */
function registerSecret(value) {
    if (!value)
        return;
    const lines = value.split(/\r?\n/).map((line) => line.trim());
    for (const form of new Set([value, ...lines])) {
        if (form.length < MIN_LENGTH)
            continue;
        for (const masked of [form, Buffer.from(form).toString('base64')]) {
            if (known.has(masked))
                continue;
            known.add(masked);
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(masked);
        }
    }
}
/** The registered secrets, longest first (so one inside another leaves no piece showing). */
function registeredSecrets() {
    return [...known].sort((a, b) => b.length - a.length);
}
/** `text` with every registered secret (and each of `extra`) replaced by `***`. */
function redact(text, extra = []) {
    const values = [
        ...new Set([...registeredSecrets(), ...extra.filter((v) => v.length >= MIN_LENGTH)]),
    ].sort((a, b) => b.length - a.length);
    return values.reduce((result, value) => result.split(value).join('***'), text);
}
/** Forgets every secret: for tests. */
function forgetSecrets() {
    known.clear();
}


/***/ }),

/***/ 2951:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mn: () => (/* binding */ lines),
/* harmony export */   oI: () => (/* binding */ ShellCommand),
/* harmony export */   sh: () => (/* binding */ sh)
/* harmony export */ });
/* unused harmony export quote */
/**
 * The one place where remote command lines are built. Every value that reaches a remote shell
 * goes through `quote`, by way of the `sh` template tag; `RemoteHost.exec` accepts only the
 * `ShellCommand` that `sh` returns, so a plain string cannot be run by mistake.
 *
 * The literal text of an `sh` template is shell exactly as it would be written in a `.sh` file
 * (backslashes included: `printf '%s\n'` means what it says), with one exception JavaScript
 * imposes: a literal `${` is written `\${` and a backquote `` \` ``.
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
/** Quote one value as a single POSIX shell word that the shell never expands or splits. */
function quote(value) {
    if (value.includes('\0'))
        throw new Error('a shell word cannot contain a NUL byte');
    if (SAFE_WORD.test(value))
        return value;
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
/** A command line for a remote POSIX shell, built only by `sh`. */
class ShellCommand {
    text;
    /** @internal use `sh` to build one. */
    constructor(text) {
        this.text = text;
    }
    toString() {
        return this.text;
    }
}
function render(value) {
    if (value instanceof ShellCommand)
        return value.text;
    if (typeof value === 'number') {
        if (!Number.isFinite(value))
            throw new Error(`not a finite number: ${value}`);
        return String(value);
    }
    if (typeof value === 'string')
        return quote(value);
    return value.map(quote).join(' ');
}
/** The literal part of a template as shell text: raw, but for `\${` and `` \` ``. */
function literal(raw) {
    return raw.replace(/\\(\$\{|`)/g, '$1');
}
/**
 * Template tag for remote commands: the literal parts are trusted shell text written in this
 * code base; every interpolated value is quoted (a nested `ShellCommand` is inserted as built).
 *
 *     sh`mkdir -p ${dir} && printf '%s\n' "\${HOME}"`
 */
function sh(literals, ...values) {
    let text = literal(literals.raw[0]);
    values.forEach((value, i) => {
        text += render(value) + literal(literals.raw[i + 1]);
    });
    return new ShellCommand(text);
}
/** Joins commands, one per line. */
function lines(commands) {
    return new ShellCommand(commands.map((command) => command.text).join('\n'));
}


/***/ }),

/***/ 5701:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $P: () => (/* binding */ NOT_STARTED_EXIT),
/* harmony export */   D: () => (/* binding */ runnerDeadlineMs),
/* harmony export */   VP: () => (/* binding */ TIMED_OUT),
/* harmony export */   qh: () => (/* binding */ GO_LINE),
/* harmony export */   sb: () => (/* binding */ wholeSeconds),
/* harmony export */   v5: () => (/* binding */ timedCommand)
/* harmony export */ });
/* unused harmony export RUNNER_MARGIN_MS */
/* harmony import */ var _command_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2951);
/**
 * How one command runs on a host, the part of the wire both sides share: the runner wraps each
 * command in the host's `timeout(1)`, may hold it until a `go` line comes, and keeps its own
 * clock beyond the host's. The connection (src/remote/) builds the wrapper; the host programs
 * (src/host-scripts/) and the steps read these names; neither imports the other.
 */

/** The line a waiting command reads on its standard input before it starts. */
const GO_LINE = 'go';
/** The exit code of a command told not to start (its `go` line never came): it did nothing. */
const NOT_STARTED_EXIT = 99;
/** timeout(1)'s exit codes: 124 when the command ended on TERM, 137 when `-k` had to KILL it. */
const TIMED_OUT = [124, 137];
/** Seconds the host's timeout(1) waits after TERM before it KILLs. */
const KILL_AFTER_SECONDS = 5;
/** `ms` as the whole seconds a host's `timeout` gets: rounded up, never down, at least 1. */
function wholeSeconds(ms) {
    return Math.max(1, Math.ceil(ms / 1000));
}
/** What the runner waits beyond a command's limit on the host: timeout(1)'s KILL, then 10 s for the answer. */
const RUNNER_MARGIN_MS = (KILL_AFTER_SECONDS + 10) * 1000;
/**
 * The runner's own limit on a command that the host limits to `hostTimeoutMs` (rounded up to
 * the whole seconds `timedCommand` gives it), plus `RUNNER_MARGIN_MS`. It holds when the host
 * answers keepalives but never reports: its program, or its `timeout`, stopped or starved.
 */
function runnerDeadlineMs(hostTimeoutMs) {
    return wholeSeconds(hostTimeoutMs) * 1000 + RUNNER_MARGIN_MS;
}
/**
 * The command line that runs `script` under the host's `timeout` (a hung `docker pull` is
 * killed there, with its children). With `waitForGo`, it first reads one line from its
 * standard input, outside the timeout, and starts only if that line is `GO_LINE`.
 */
function timedCommand(script, timeoutMs, waitForGo = false) {
    const seconds = wholeSeconds(timeoutMs);
    const timed = (0,_command_js__WEBPACK_IMPORTED_MODULE_0__.sh) `timeout -k ${KILL_AFTER_SECONDS} ${seconds} sh -c ${script.text}`;
    if (!waitForGo)
        return timed;
    return (0,_command_js__WEBPACK_IMPORTED_MODULE_0__.sh) `IFS= read -r go && [ "$go" = ${GO_LINE} ] || exit ${NOT_STARTED_EXIT}
exec ${timed}`;
}


/***/ })

};
