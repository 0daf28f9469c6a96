/**
 * Unit tests that need a program from the machine's packages (Debian's docker-compose, pytest)
 * run where it is installed. Where it is not, `npm run test:unit` skips them and says so in one
 * line; `npm test` installs every package first and sets MONARCH_REQUIRE_ALL=1, so there a
 * missing program is an error, never a silent skip.
 */
import { spawnSync } from 'node:child_process';

/** A program a test needs, and how to tell it is there. */
export interface Tool {
  readonly name: string;
  /** argv that exits 0 when the tool works. */
  readonly check: readonly string[];
  /** The Debian package that brings it. */
  readonly package: string;
}

export const COMPOSE_V1: Tool = {
  name: 'docker-compose 1.29 (compose v1 and its .env parser)',
  check: ['/usr/bin/python3', '-c', 'import compose.config.environment'],
  package: 'docker-compose',
};

export const PYTEST: Tool = {
  name: "Debian's pytest",
  check: ['/usr/bin/python3', '-m', 'pytest', '--version'],
  package: 'python3-pytest',
};

export const BUSYBOX: Tool = {
  name: 'busybox (its sh and tar, as on small droplets)',
  check: ['/bin/busybox', 'true'],
  package: 'busybox-static',
};

export const DOCKER_CLI: Tool = {
  name: "the docker CLI (its own stack file loader, 'docker stack config')",
  check: ['docker', 'stack', 'config', '--help'],
  package: 'docker.io',
};

/** `it` when every tool works; otherwise `it.skip`, with one line saying what and why. */
export function itWith(...tools: Tool[]): jest.It {
  const missing = tools.filter(
    (tool) => spawnSync(tool.check[0], tool.check.slice(1)).status !== 0,
  );
  if (missing.length === 0) return it;
  const what = missing.map((tool) => `${tool.name} (apt package ${tool.package})`).join(', ');
  if (process.env.MONARCH_REQUIRE_ALL === '1')
    throw new Error(`missing ${what}: run scripts/install-test-packages.sh`);
  process.stderr.write(`skipped: tests that need ${what}; npm test installs it\n`);
  return it.skip;
}
