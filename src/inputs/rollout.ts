/**
 * `mode: compose`: the rollout plan of the compose file (see compose/rollout-plan.ts), read
 * once here so that a start-first service that cannot run twice at once fails as an input
 * error, before any host is contacted.
 */
import { ComposeFileError, rolloutPlan } from '../compose/rollout-plan.js';
import { readComposeTree } from '../swarm/compose-tree.js';
import type { RolloutPlan } from '../types/settings.js';
import { fail } from './read.js';
import type { StackSource } from './stack.js';

/**
 * The plan, or null (swarm mode rolls its own way; a file without start-first services keeps
 * `up -d` alone). A file that mentions no `start-first` is not read further: compose reads
 * it on the host as before, whatever this reader would make of it.
 */
export function readRollout(swarm: boolean, source: StackSource): RolloutPlan | null {
  const text = source.composeContent.toString('utf8');
  if (swarm || !text.includes('start-first')) return null;
  let plan;
  try {
    plan = rolloutPlan(readComposeTree(text, source.env, source.yaml));
  } catch (error) {
    if (!(error instanceof ComposeFileError)) throw error;
    fail(
      'compose-file',
      `a compose file whose start-first services can be rolled: ${error.message}`,
    );
  }
  return plan;
}
