/**
 * The inputs that name workspace files: the compose file and the extra `files`. A workspace may
 * hold what a pull request slipped in, so each file is opened without following a link at its
 * own name, must be a regular file whose real path lies in the workspace (or in RUNNER_TEMP, for
 * a file an earlier step rendered), and is read from the descriptor that was checked: what is
 * uploaded is what was checked, whatever happens to the path afterwards.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import path from 'node:path';
import type { UploadFile } from '../types/settings.js';
import type { YamlParser } from './parsers.js';
import { fail, type InputReader } from './read.js';

/** Files are configs: anything larger is refused rather than held in memory. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

/** The workspace the runner checked out into (the current folder outside Actions). */
export function workspaceDir(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}

/** What a workspace file held when it was checked. */
export interface WorkspaceFile {
  readonly content: Buffer;
  readonly mode: number;
}

/** The folders uploaded files may come from: the workspace and the runner's temporary folder. */
function allowedRoots(workspace: string): string[] {
  return [workspace, process.env.RUNNER_TEMP]
    .filter((dir): dir is string => Boolean(dir))
    .flatMap((dir) => {
      try {
        return [realpathSync(dir)];
      } catch {
        return [];
      }
    });
}

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The path the kernel opened for `fd` (Linux), else the resolved `file`. */
function openedPath(fd: number, file: string): string {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return realpathSync(file);
  }
}

/**
 * Reads `file` for `input` (`shown` names it in errors): a regular file inside `roots`, its own
 * name not a symbolic link, read from the descriptor that was checked.
 */
export function readWorkspaceFile(
  input: string,
  file: string,
  shown: string,
  roots: string[],
): WorkspaceFile {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP')
      fail(input, `a regular file in the workspace, but ${shown} is a symbolic link`);
    if (code === 'ENOENT' || code === 'ENOTDIR')
      fail(input, `a file in the workspace, but ${shown} does not exist`);
    return fail(input, `a readable file in the workspace, but ${shown} cannot be opened (${code})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      fail(input, `a regular file in the workspace, but ${shown} is ${kindOf(stat)}`);
    const real = openedPath(fd, file);
    if (!roots.some((root) => real === root || real.startsWith(`${root}${path.sep}`)))
      fail(input, `a file inside the workspace, but ${shown} is ${real}, outside it`);
    if (stat.size > MAX_FILE_BYTES)
      fail(
        input,
        `a file of at most ${MAX_FILE_BYTES / 1024 / 1024} MiB, but ${shown} has ${stat.size} bytes`,
      );
    return { content: readFileSync(fd), mode: stat.mode & 0o755 };
  } finally {
    closeSync(fd);
  }
}

/** `compose-file`: where it is, and what it holds, checked to be a compose file. */
export function readComposeFile(
  read: InputReader,
  workspace: string,
  parseYaml: YamlParser,
): { readonly composeFile: string; readonly composeContent: Buffer } {
  const entry = read('compose-file') || 'docker-compose.yml';
  const file = path.resolve(workspace, entry);
  const { content } = readWorkspaceFile('compose-file', file, file, allowedRoots(workspace));
  const document = parseYaml(content.toString('utf8'));
  if (document.errors.length > 0) {
    fail('compose-file', `valid YAML in ${file}: ${document.errors[0].message.split('\n')[0]}`);
  }
  const parsed: unknown = document.toJS();
  if (typeof parsed !== 'object' || parsed === null || !('services' in parsed)) {
    fail('compose-file', `a compose file with a 'services' section, got ${file} without one`);
  }
  return { composeFile: file, composeContent: content };
}

/** `files`: one path per line, each uploaded under its path relative to the compose file. */
export function readUploadFiles(
  read: InputReader,
  composeFile: string,
  workspace: string,
): UploadFile[] {
  const composeDir = path.dirname(composeFile);
  const roots = allowedRoots(workspace);
  return read('files')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((entry) => uploadFile(entry, composeDir, workspace, roots));
}

function uploadFile(
  entry: string,
  composeDir: string,
  workspace: string,
  roots: string[],
): UploadFile {
  const localPath = path.resolve(workspace, entry);
  const remoteName = path.relative(composeDir, localPath).split(path.sep).join('/');
  if (
    remoteName.startsWith('..') ||
    !/^[A-Za-z0-9._/-]+$/.test(remoteName) ||
    remoteName.split('/').some((part) => part.startsWith('-') || part === '.' || part === '')
  ) {
    fail(
      'files',
      `files inside the compose file's folder named with letters, digits and '/._-' (no part starting with '-'), got '${entry}'`,
    );
  }
  if (
    remoteName === 'docker-compose.yml' ||
    remoteName === '.env' ||
    remoteName.split('/')[0] === '.monarch' ||
    remoteName.split('/').some((part) => part.startsWith('.monarch'))
  ) {
    fail('files', `files other than docker-compose.yml, .env and .monarch*, got '${entry}'`);
  }
  const { content, mode } = readWorkspaceFile('files', localPath, entry, roots);
  return { localPath, remoteName, content, mode };
}
