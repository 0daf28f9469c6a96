export const id = 661;
export const ids = [661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post),
/* harmony export */   refusal: () => (/* binding */ refusal)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4116);
/* harmony import */ var _host_scripts_layout_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4201);
/* harmony import */ var _host_scripts_programs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1431);
/* harmony import */ var _inputs_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(4168);
/* harmony import */ var _remote_jump_tunnel_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3347);
/* harmony import */ var _remote_ssh_connect_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(2044);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2462);
/**
 * The post step: removes, on any host where the main step was cut short (cancelled, or its
 * connection lost), that run's staging folder, which may hold its files and its registry
 * credentials. It reads only the connection inputs and its own state (so it still runs when a
 * later step removed the compose file), acts only on hosts of `host` and on staging folders of
 * `app-dir`, and only ever warns. The action writes nothing to the runner's temporary folder,
 * so there is nothing to clean up on the runner.
 */







const POST_TIMEOUT_MS = 30_000;
/** Runs the post step. */
async function post() {
    try {
        const byHost = (0,_state_js__WEBPACK_IMPORTED_MODULE_6__/* .readLeftovers */ .ju)((0,_inputs_index_js__WEBPACK_IMPORTED_MODULE_3__/* .readHosts */ .kZ)(_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getInput */ .V4));
        if (Object.keys(byHost).length === 0) {
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('post step: nothing to clean up (the main step removed everything it left)');
            return;
        }
        const inputs = await (0,_inputs_index_js__WEBPACK_IMPORTED_MODULE_3__/* .getConnectionInputs */ .cY)();
        const tunnel = inputs.jumpHost ? (0,_remote_jump_tunnel_js__WEBPACK_IMPORTED_MODULE_4__/* .jumpTunnel */ .Z)(inputs.jumpHost, POST_TIMEOUT_MS) : undefined;
        try {
            for (const [host, dir] of Object.entries(byHost)) {
                await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(`${host}: Removing what the cut-short deploy left`, () => removeLeftover(inputs, host, dir, tunnel));
            }
        }
        finally {
            tunnel?.close();
        }
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: ${error instanceof Error ? error.message : String(error)}`);
    }
}
/** Why the saved `dir` on `host` is not something the post step may remove, if it is not. */
function refusal(inputs, host, dir) {
    if (!inputs.hosts.includes(host))
        return `${host} is not one of the hosts of 'host'`;
    const stateDir = (0,_host_scripts_layout_js__WEBPACK_IMPORTED_MODULE_1__/* .layoutOf */ .aH)(inputs.appDir, 'x').stateDir;
    if (!new RegExp(`^${escapeRegExp(stateDir)}/${_host_scripts_layout_js__WEBPACK_IMPORTED_MODULE_1__/* .STAGING_PREFIX */ .th}[A-Za-z0-9-]+$`).test(dir))
        return `${dir} is not a staging folder of ${inputs.appDir}`;
    return null;
}
async function removeLeftover(inputs, host, dir, tunnel) {
    const refused = refusal(inputs, host, dir);
    if (refused) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${host}: refusing to clean up: ${refused}`);
        return;
    }
    try {
        const connected = await (0,_remote_ssh_connect_js__WEBPACK_IMPORTED_MODULE_5__/* .connectWithRetry */ .Z)({ ...inputs, host, tunnel: tunnel?.open }, { deadline: Date.now() + POST_TIMEOUT_MS, baseDelayMs: 1_000, maxDelayMs: 5_000 });
        try {
            const result = await connected.exec((0,_host_scripts_programs_js__WEBPACK_IMPORTED_MODULE_2__/* .removeFolderProgram */ .j8)(dir), {
                label: 'Cleaning up',
                timeoutMs: POST_TIMEOUT_MS,
            });
            if (result.code === 0)
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed ${dir}`);
            else
                _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${host}: could not remove ${dir}: ${result.stderr.trim()}`);
        }
        finally {
            connected.close();
        }
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`${host}: could not clean up: ${error instanceof Error ? error.message : String(error)}`);
    }
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}


/***/ })

};
