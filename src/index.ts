/**
 * Entry point: the main step, or the post step when the runner runs this file a second time.
 * It stays small: each step is its own chunk of the bundle, loaded (and, where the runner's
 * Node has it, compiled through V8's compile cache) only by the step that runs it.
 */
import * as nodeModule from 'node:module';
import { isPostStep, markMainStep } from './state.js';

// Node 22.1+; on Node 20 there is none, and nothing changes.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (isPostStep()) {
  void import('./post.js').then(({ post }) => post());
} else {
  markMainStep();
  void import('./main.js').then(({ run }) => run());
}
