/**
 * The Monarch example service (examples/monarch): its own pytest suite passes, and its compose
 * file is valid for the real compose, with the variables its .env provides.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPOSE_V1, PYTEST, itWith } from '../support/requires.js';

const EXAMPLE = path.resolve('examples/monarch');

describe('the Monarch example', () => {
  itWith(PYTEST)("passes its own tests (Debian's python3 with pytest)", () => {
    const result = spawnSync('/usr/bin/python3', ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], {
      cwd: EXAMPLE,
      encoding: 'utf8',
    });
    expect({ status: result.status, tail: result.stdout.trim().split('\n').at(-1) }).toEqual({
      status: 0,
      tail: expect.stringMatching(/^\d+ passed/),
    });
  });

  itWith(COMPOSE_V1)(
    'has a compose file the real compose accepts, with the image tagged by the commit',
    () => {
      const project = mkdtempSync(path.join(tmpdir(), 'monarch-example-'));
      copyFileSync(path.join(EXAMPLE, '.env.example'), path.join(project, '.env'));
      const result = spawnSync(
        '/usr/bin/docker-compose',
        [
          '--project-directory',
          project,
          '-f',
          path.join(EXAMPLE, 'docker-compose.yml'),
          '--env-file',
          path.join(project, '.env'),
          'config',
        ],
        { encoding: 'utf8' },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(
        /image: registry\.digitalocean\.com\/\S+\/monarch-web:[0-9a-f]{7,40}/,
      );
      expect(result.stdout).toContain('healthcheck:');
    },
  );
});
