/**
 * Uploading a release into this run's staging folder over the one SFTP channel: the compose
 * file, the extra files, `.env` (mode 0600 from creation) and, with a registry, this run's own
 * docker config holding the login (mode 0600).
 */
import * as core from '@actions/core';
import path from 'node:path/posix';
import { renderEnvFile } from '../env/render.js';
import { DOCKER_CONFIG_DIR } from '../host-scripts/release.js';
import { registerSecret } from '../secrets.js';
import type { RegistryLogin } from '../types/settings.js';
import { removeFolderProgram } from '../host-scripts/programs.js';
import type { HostLog } from './host-log.js';
import type { HostSession } from './session.js';

/**
 * Uploads everything at once. With `optimistic`, returns false, having written nothing, when
 * the staging directory cannot be made (on a first deploy its parent appears only with the
 * lock): the caller tries again then.
 */
export async function uploadRelease(session: HostSession, optimistic = false): Promise<boolean> {
  const { host, layout } = session;
  // The SFTP server handles requests in the order they come: the folders are asked for first
  // and the files right behind them, without waiting a round trip for each folder.
  const staging = host.mkdir(layout.stagingDir, 0o700);
  const writes = releaseWrites(session);
  const started = Date.now();
  const [created, ...written] = await Promise.allSettled([staging, ...writes]);
  core.debug(
    `${host.name}: ${writes.length} upload request(s) settled after ${Date.now() - started} ms`,
  );
  if (created.status === 'rejected') {
    if (optimistic) return false;
    throw created.reason;
  }
  const failed = written.find((result) => result.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return true;
}

function releaseWrites(session: HostSession): Promise<void>[] {
  const { host, inputs, layout } = session;
  const staged = (name: string) => path.join(layout.stagingDir, name);
  const dirs = [...new Set(inputs.files.flatMap((file) => parents(file.remoteName)))].sort(
    (a, b) => a.split('/').length - b.split('/').length,
  );
  return [
    ...dirs.map((dir) => host.mkdir(staged(dir), 0o755)),
    // Every file was read whole when it was checked (see workspace-files.ts): what is
    // uploaded is what was checked. A small one is one write (open, write + close).
    host.writeFile(staged('docker-compose.yml'), inputs.composeContent, 0o644),
    ...inputs.files.map((file) => host.writeFile(staged(file.remoteName), file.content, file.mode)),
    host.writeFile(staged('.env'), renderEnvFile(inputs.env), 0o600),
    ...(inputs.registry
      ? [
          host.mkdir(staged(DOCKER_CONFIG_DIR), 0o700),
          host.writeFile(
            staged(`${DOCKER_CONFIG_DIR}/config.json`),
            dockerConfig(inputs.registry),
            0o600,
          ),
        ]
      : []),
  ];
}

/** A docker config.json holding one registry login, as `docker login` would write it. */
function dockerConfig(registry: RegistryLogin): string {
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  registerSecret(auth);
  return `${JSON.stringify({ auths: { [registry.server]: { auth } } }, null, 2)}\n`;
}

function parents(name: string): string[] {
  const parts = name.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Removes this run's staging folder (files, registry credentials) after an early failure. */
export async function removeStaging(session: HostSession, log: HostLog): Promise<boolean> {
  if (session.inputs.dryRun) return true;
  try {
    const result = await session.host.exec(removeFolderProgram(session.layout.stagingDir), {
      label: 'Cleaning up',
      timeoutMs: 15_000,
    });
    return result.code === 0;
  } catch (error) {
    log.debug(`could not remove ${session.layout.stagingDir}: ${String(error)}`);
    return false;
  }
}
