/** The inputs that name workspace files: the compose file and the extra `files`. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { UploadFile } from '../types/settings.js';
import { fail, type InputReader } from './read.js';

/** The workspace the runner checked out into (the current folder outside Actions). */
export function workspaceDir(): string {
  return process.env.GITHUB_WORKSPACE || process.cwd();
}

/** `compose-file`, resolved in the workspace and checked to be a compose file. */
export function readComposeFile(read: InputReader, workspace: string): string {
  const file = path.resolve(workspace, read('compose-file') || 'docker-compose.yml');
  if (!existsSync(file) || !statSync(file).isFile())
    fail('compose-file', `a file in the workspace, but ${file} does not exist`);
  const document = parseDocument(readFileSync(file, 'utf8'));
  if (document.errors.length > 0) {
    fail('compose-file', `valid YAML in ${file}: ${document.errors[0].message.split('\n')[0]}`);
  }
  const content: unknown = document.toJS();
  if (typeof content !== 'object' || content === null || !('services' in content)) {
    fail('compose-file', `a compose file with a 'services' section, got ${file} without one`);
  }
  return file;
}

/** `files`: one path per line, each uploaded under its path relative to the compose file. */
export function readUploadFiles(
  read: InputReader,
  composeFile: string,
  workspace: string,
): UploadFile[] {
  const composeDir = path.dirname(composeFile);
  return read('files')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((entry) => uploadFile(entry, composeDir, workspace));
}

function uploadFile(entry: string, composeDir: string, workspace: string): UploadFile {
  const localPath = path.resolve(workspace, entry);
  const remoteName = path.relative(composeDir, localPath).split(path.sep).join('/');
  if (!existsSync(localPath) || !statSync(localPath).isFile())
    fail('files', `files in the workspace, but ${entry} does not exist`);
  if (remoteName.startsWith('..') || !/^[A-Za-z0-9._/-]+$/.test(remoteName)) {
    fail(
      'files',
      `files inside the compose file's folder named with letters, digits and '/._-', got '${entry}'`,
    );
  }
  if (
    remoteName === 'docker-compose.yml' ||
    remoteName === '.env' ||
    remoteName.startsWith('.monarch')
  ) {
    fail('files', `files other than docker-compose.yml, .env and .monarch/, got '${entry}'`);
  }
  return { localPath, remoteName };
}
