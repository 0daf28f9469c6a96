/**
 * `mode` and `stack`: in `mode: swarm` the compose file becomes a Swarm stack, its file
 * rendered here, on the runner, with the values of `env` (see `renderStack`), so a bad
 * template fails before any host is contacted.
 */
import path from 'node:path/posix';
import * as core from '@actions/core';
import { renderStack, StackFileError } from '../swarm/stack-file.js';
import type { EnvVar, StackPlan } from '../types/settings.js';
import { fail, oneOf, type InputReader } from './read.js';

/** The values `mode` accepts. */
export const MODES = ['compose', 'swarm'] as const;

/** A stack name Swarm accepts and that makes valid service names (`<stack>_<service>`). */
const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;

/** What rendering needs: the compose file as checked, the parsed `env`, the yaml module. */
export interface StackSource {
  readonly appDir: string;
  readonly composeContent: Buffer;
  readonly env: readonly EnvVar[];
  readonly yaml: typeof import('yaml');
}

/** The stack of `mode: swarm`, or null in `mode: compose`. */
export function readStack(read: InputReader, source: StackSource): StackPlan | null {
  const mode = oneOf(read, 'mode', MODES, 'compose');
  if (mode === 'compose') {
    if (read('stack') !== '') fail('stack', `nothing unless 'mode' is 'swarm'`);
    return null;
  }
  // strategy's default, `parallel`, is what the runner passes when it is not set.
  const fleet =
    read('strategy') === 'rolling' ? 'strategy' : read('max-parallel') ? 'max-parallel' : null;
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
  } catch (error) {
    if (!(error instanceof StackFileError)) throw error;
    fail('compose-file', `a stack file Swarm can deploy: ${error.message}`);
  }
  const longest = Math.max(0, ...rendered.services.map((service) => service.name.length));
  if (name.length + 1 + longest > 63) {
    fail(
      'stack',
      `a name short enough for Swarm's service names (<stack>_<service>, at most 63 characters), got '${name}'`,
    );
  }
  for (const warning of rendered.warnings)
    core.warning(`Input 'compose-file' (mode swarm): ${warning}`);
  return { name, file: Buffer.from(rendered.text), services: rendered.services };
}

/** app-dir's last part, as a stack name (what compose mode would take as the project). */
function defaultStackName(appDir: string): string {
  return (
    path
      .basename(appDir)
      .replace(/[^a-zA-Z0-9_-]/g, '')
      .replace(/^[_-]+/, '') || 'monarch'
  );
}
