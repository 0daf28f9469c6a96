// scripts/bench/action-runner.mjs - run the bundled action the way the Actions runner does, timed.
//
// Mirrors __tests__/e2e/runner.ts (which the benchmark cannot import: it is TypeScript run by
// jest): every input becomes an INPUT_<NAME> variable with action.yml's defaults applied first,
// the context variables a push build has, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY
// files, and a workspace (the working directory) holding the compose file. Only the main step
// runs: the post step only logs out hosts that main could not, so after a successful main it
// contacts nothing (and a runner runs it at the end of the job, outside the deploy step's time).
//
// Each run is wrapped in GNU time (`/usr/bin/time -f '%M %U %S'`) for the process's peak RSS and
// CPU time, and every line the action prints is kept with the time it arrived, so a caller can
// see where a deploy spends its time (each deploy step is a `::group::`).
/* global process, performance, URL */ // Node globals, for ESLint
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The run's context variables (actor, repository, commit, run id...), shared with the e2e runner. */
const RUN_CONTEXT = JSON.parse(
  readFileSync(new URL('../lab/runner-context.json', import.meta.url), 'utf8'),
);

const GNU_TIME = '/usr/bin/time';
/** Peak RSS in KiB, user and system CPU seconds. */
const GNU_TIME_FORMAT = '%M %U %S';

/**
 * The defaults of action.yml's inputs, as the runner applies them. A small reader for the one
 * shape action.yml uses (two-space `name:` keys under `inputs:`, four-space `default:` values,
 * plain or single/double-quoted scalars), so the benchmark needs no YAML package.
 */
export function actionDefaults(actionYmlPath) {
  const defaults = {};
  let inInputs = false;
  let current = null;
  for (const line of readFileSync(actionYmlPath, 'utf8').split('\n')) {
    if (/^\S/.test(line)) {
      inInputs = /^inputs:\s*$/.test(line);
      current = null;
      continue;
    }
    if (!inInputs) continue;
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (name) {
      current = name[1];
      defaults[current] = '';
      continue;
    }
    const value = /^ {4}default:\s*(.*?)\s*$/.exec(line);
    if (value && current) defaults[current] = unquoteScalar(value[1]);
  }
  if (!('host' in defaults) || !('health-timeout' in defaults)) {
    throw new Error(`could not read the inputs of ${actionYmlPath}`);
  }
  return defaults;
}

function unquoteScalar(text) {
  if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.startsWith('"') && text.endsWith('"')) return JSON.parse(text);
  return text;
}

/** What the runner would make of the `${{ ... }}` expressions action.yml's defaults use. */
const EXPRESSION_VALUES = { 'github.token': 'ghs_benchmarkStandInNotAToken' };

/** Defaults with their `${{ expression }}`s evaluated the runner's way (unknown ones: empty). */
function evaluateDefaults(defaults) {
  return Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [
      name,
      value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr) => EXPRESSION_VALUES[expr] ?? ''),
    ]),
  );
}

/** `INPUT_<NAME>` as the runner spells it: upper-cased, spaces to `_`, hyphens kept. */
function inputVariable(name) {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * A throwaway runner job folder: workspace with `workspaceFiles`, runner temp, event payload,
 * and the file-command files. Returns its paths; `remove()` deletes it.
 */
export function makeJobFolder(workspaceFiles) {
  const root = mkdtempSync(path.join(tmpdir(), 'monarch-bench-job-'));
  const folder = {
    root,
    workspace: path.join(root, 'workspace'),
    temp: path.join(root, 'runner-temp'),
    event: path.join(root, 'event.json'),
    output: path.join(root, 'output'),
    state: path.join(root, 'state'),
    summary: path.join(root, 'summary'),
    rss: path.join(root, 'max-rss-kb'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  mkdirSync(folder.workspace);
  mkdirSync(folder.temp);
  for (const [name, content] of Object.entries(workspaceFiles)) {
    mkdirSync(path.dirname(path.join(folder.workspace, name)), { recursive: true });
    writeFileSync(path.join(folder.workspace, name), content);
  }
  writeFileSync(folder.event, JSON.stringify({ head_commit: { message: 'Benchmark redeploy' } }));
  return folder;
}

/**
 * The environment the runner gives the main step: context, file commands (emptied), and the
 * inputs (action.yml names) over action.yml's defaults.
 */
export function runnerEnvironment(folder, defaults, inputs, extraEnv) {
  for (const file of [folder.output, folder.state, folder.summary]) writeFileSync(file, '');
  const merged = { ...evaluateDefaults(defaults), ...inputs };
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...RUN_CONTEXT,
    GITHUB_EVENT_PATH: folder.event,
    GITHUB_WORKSPACE: folder.workspace,
    RUNNER_TEMP: folder.temp,
    GITHUB_OUTPUT: folder.output,
    GITHUB_STATE: folder.state,
    GITHUB_STEP_SUMMARY: folder.summary,
    ...Object.fromEntries(Object.entries(merged).map(([n, v]) => [inputVariable(n), v])),
    ...extraEnv,
  };
}

/** Reads a file command: `name=value` lines and the `name<<DELIMITER` ... `DELIMITER` form. */
function readFileCommand(file) {
  const values = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      values[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=');
      values[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return values;
}

/**
 * Runs `node <bundle>` as the main step in `folder` with `inputs` (action.yml names), under
 * GNU time. Resolves with { wallMs, exitCode, maxRssKb, cpuMs (user + system), outputs,
 * lines: [{ atMs, text }] }.
 */
export function runActionMain({ bundle, folder, defaults, inputs, extraEnv = {} }) {
  const env = runnerEnvironment(folder, defaults, inputs, extraEnv);
  const args = ['-f', GNU_TIME_FORMAT, '-o', folder.rss, process.execPath, bundle];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(GNU_TIME, args, {
      env,
      cwd: folder.workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = [];
    let partial = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      const atMs = performance.now() - started;
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop();
      for (const text of parts) lines.push({ atMs, text });
    });
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (partial) lines.push({ atMs: wallMs, text: partial });
      // GNU time's last line (a line before it says so if the command died of a signal).
      const [rssKb, userS, systemS] = readFileSync(folder.rss, 'utf8')
        .trim()
        .split('\n')
        .pop()
        .split(' ')
        .map(Number);
      resolve({
        wallMs,
        exitCode: code ?? -1,
        maxRssKb: rssKb,
        cpuMs: (userS + systemS) * 1000,
        outputs: readFileCommand(folder.output),
        lines,
        stderr,
      });
    });
  });
}

/** The `::error::` lines and the last lines of a run, for a failure message. */
export function describeFailure(run) {
  const errors = run.lines.filter((l) => l.text.startsWith('::error::')).map((l) => l.text);
  const tail = run.lines.slice(-8).map((l) => l.text);
  return [`exit code ${run.exitCode}`, ...errors, '--- last lines:', ...tail, run.stderr.trim()]
    .filter(Boolean)
    .join('\n');
}

/**
 * Where one deploy spent its time: each `::group::` (a deploy step) from its start line to its
 * `::endgroup::`, plus one entry for everything outside the groups (node start-up and input
 * parsing, listing the running images, the registry logout, outputs and summary, exit).
 * Returns [{ name, ms }].
 */
export function groupTimings(run) {
  const groups = [];
  let open = null;
  for (const line of run.lines) {
    if (line.text.startsWith('::group::')) {
      open = { name: line.text.slice('::group::'.length), atMs: line.atMs };
    } else if (line.text.startsWith('::endgroup::') && open) {
      groups.push({ name: open.name, ms: line.atMs - open.atMs });
      open = null;
    }
  }
  const inGroups = groups.reduce((sum, group) => sum + group.ms, 0);
  return [
    ...groups,
    { name: 'outside the steps (start-up, logout, report, exit)', ms: run.wallMs - inGroups },
  ];
}
