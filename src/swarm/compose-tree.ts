/**
 * The compose file as compose reads it: a tree, anchors and merge keys resolved, every `${VAR}`
 * substituted with the values of `env` by compose's rules (what compose mode's rollout plan
 * reads, see compose/rollout-plan.ts).
 */
import type { EnvVar } from '../types/settings.js';
import { interpolate, parse } from './stack-file.js';
import type { StackNode } from './stack-services.js';

/** The tree of `composeText`; throws `StackFileError` for what no compose could read. */
export function readComposeTree(
  composeText: string,
  env: readonly EnvVar[],
  yaml: typeof import('yaml'),
): StackNode {
  const values = new Map(env.map((v) => [v.key, v.value]));
  return interpolate(parse(composeText, yaml), [], values, new Set());
}
