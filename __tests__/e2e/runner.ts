/**
 * Runs the committed bundle the way the Actions runner does: inputs as `INPUT_*` variables
 * (defaults from action.yml applied), a workspace, the context variables, file commands
 * (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY), then the post step with `STATE_*`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTION_DEFAULTS } from '../support/inputs.js';

const BUNDLE = path.resolve('dist/index.js');
/** The run's context variables (actor, repository, commit, run id...), shared with the benchmark. */
const RUN_CONTEXT = JSON.parse(readFileSync('scripts/lab/runner-context.json', 'utf8')) as Record<
  string,
  string
>;

/** What one step left behind. */
export interface StepRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
  readonly state: Record<string, string>;
  readonly summary: string;
  /** The `::error::` lines, without the prefix. */
  readonly errors: string[];
  readonly warnings: string[];
  /** Peak resident memory of the step's process, with `measureMemory`. */
  readonly peakRssKb?: number;
}

/** A main step and its post step. */
export interface ActionRun {
  readonly main: StepRun;
  readonly post: StepRun;
}

/** Options of a run: inputs by their action.yml names, and files for the workspace. */
export interface RunOptions {
  readonly inputs: Record<string, string>;
  readonly workspaceFiles?: Record<string, string>;
  readonly env?: Record<string, string>;
  /** Skips the post step. */
  readonly skipPost?: boolean;
  /** Kills the main step (SIGKILL, as a cancelled job) as soon as its output matches. */
  readonly killMainOn?: RegExp;
  /** ... that long after its output matched. */
  readonly killDelayMs?: number;
  /** The node binary to run the bundle with (default: the one running the tests). */
  readonly node?: string;
  /** Measures the main step's peak memory (GNU time). */
  readonly measureMemory?: boolean;
  /** Runs before the main step, with the workspace folder (to plant what files cannot say). */
  readonly beforeMain?: (workspace: string) => void;
  /** Runs between the main and the post step, with the workspace folder. */
  readonly beforePost?: (workspace: string) => void;
}

/** Parses `name=value` and `name<<DELIM` lines of a file command. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      values[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      values[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return values;
}

const PEAK = 'monarch-peak-rss-kb=';

function step(
  node: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  files: { output: string; state: string; summary: string },
  killOn?: RegExp,
  measureMemory = false,
  killDelayMs = 0,
): Promise<StepRun> {
  return new Promise((resolve, reject) => {
    const [command, args] = measureMemory
      ? ['/usr/bin/time', ['-f', `${PEAK}%M`, node, BUNDLE]]
      : [node, [BUNDLE]];
    const child = spawn(command, args, {
      env,
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killOn?.test(stdout)) {
        killOn = undefined;
        setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
      const lines = stdout.split('\n');
      const peak = stderr.split('\n').find((line) => line.startsWith(PEAK));
      if (peak) stderr = stderr.replace(`${peak}\n`, '');
      resolve({
        exitCode: code ?? -1,
        stdout,
        stderr,
        outputs: parseFileCommand(read(files.output)),
        state: parseFileCommand(read(files.state)),
        summary: read(files.summary),
        errors: lines
          .filter((l) => l.startsWith('::error::'))
          .map((l) => l.slice('::error::'.length)),
        warnings: lines
          .filter((l) => l.startsWith('::warning::'))
          .map((l) => l.slice('::warning::'.length)),
        ...(peak ? { peakRssKb: Number(peak.slice(PEAK.length)) } : {}),
      });
    });
  });
}

/** Runs main, then post (unless skipped), like a job with this one step. */
export async function runAction(options: RunOptions): Promise<ActionRun> {
  const root = mkdtempSync(path.join(tmpdir(), 'monarch-run-'));
  const workspace = path.join(root, 'workspace');
  const temp = path.join(root, 'runner-temp');
  for (const dir of [workspace, temp]) mkdirSync(dir);
  for (const [name, content] of Object.entries(options.workspaceFiles ?? {})) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    writeFileSync(path.join(workspace, name), content);
  }
  options.beforeMain?.(workspace);
  const eventPath = path.join(root, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({ head_commit: { message: 'Ship the new version\n\nLonger body' } }),
  );
  const inputs = { ...ACTION_DEFAULTS, ...options.inputs };
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...RUN_CONTEXT,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: temp,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [
        `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
        value,
      ]),
    ),
    ...options.env,
  };
  const mainFiles = {
    output: path.join(root, 'main-output'),
    state: path.join(root, 'state'),
    summary: path.join(root, 'main-summary'),
  };
  for (const file of Object.values(mainFiles)) writeFileSync(file, '');
  const node = options.node ?? process.execPath;
  const main = await step(
    node,
    {
      ...base,
      GITHUB_OUTPUT: mainFiles.output,
      GITHUB_STATE: mainFiles.state,
      GITHUB_STEP_SUMMARY: mainFiles.summary,
    },
    workspace,
    mainFiles,
    options.killMainOn,
    options.measureMemory,
    options.killDelayMs,
  );
  options.beforePost?.(workspace);
  const postFiles = {
    output: path.join(root, 'post-output'),
    state: path.join(root, 'post-state'),
    summary: path.join(root, 'post-summary'),
  };
  for (const file of Object.values(postFiles)) writeFileSync(file, '');
  const stateEnv = Object.fromEntries(
    Object.entries(main.state).map(([name, value]) => [`STATE_${name}`, value]),
  );
  const post = options.skipPost
    ? {
        exitCode: 0,
        stdout: '',
        stderr: '',
        outputs: {},
        state: {},
        summary: '',
        errors: [],
        warnings: [],
      }
    : await step(
        node,
        {
          ...base,
          ...stateEnv,
          GITHUB_OUTPUT: postFiles.output,
          GITHUB_STATE: postFiles.state,
          GITHUB_STEP_SUMMARY: postFiles.summary,
        },
        workspace,
        postFiles,
      );
  return { main, post };
}
