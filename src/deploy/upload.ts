/**
 * What a release uploads into this run's staging folder: the compose file, the extra files,
 * `.env` (mode 0600 from creation) and, with a registry, this run's own docker config holding
 * the login (mode 0600), as one tar archive that travels on the standard input of the pull's
 * command (see `pullProgram`), or of the dry run's.
 */
import { renderEnvFile } from '../env/render.js';
import { removeFolderProgram } from '../host-scripts/programs.js';
import { DOCKER_CONFIG_DIR } from '../host-scripts/layout.js';
import { tarArchive, type TarEntry } from '../remote/tar.js';
import { registerSecret } from '../secrets.js';
import type { RegistryLogin } from '../types/settings.js';
import type { HostLog } from './host-log.js';
import type { HostSession } from './session.js';

/** The release's files and folders, and their archive. */
export function releaseArchive(session: HostSession): { entries: TarEntry[]; archive: Buffer } {
  const entries = releaseEntries(session);
  return { entries, archive: tarArchive(entries) };
}

function releaseEntries(session: HostSession): TarEntry[] {
  const { inputs } = session;
  const dirs = [...new Set(inputs.files.flatMap((file) => parents(file.remoteName)))].sort(
    (a, b) => a.split('/').length - b.split('/').length,
  );
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
    { name: '.env', mode: 0o600, content: Buffer.from(renderEnvFile(inputs.env)) },
    ...(inputs.registry
      ? [
          { name: DOCKER_CONFIG_DIR, mode: 0o700 },
          {
            name: `${DOCKER_CONFIG_DIR}/config.json`,
            mode: 0o600,
            content: Buffer.from(dockerConfig(inputs.registry)),
          },
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
