/**
 * Entry point: the main step, or the post step when the runner runs this file a second time.
 * It stays small: each step is its own chunk of the bundle, loaded (and, where the runner's
 * Node has it, compiled through V8's compile cache) only by the step that runs it.
 */
import * as nodeModule from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPostStep, markMainStep } from './state.js';

// The bundle is an ES module, which has no `__dirname`; ssh2's pure-JS poly1305 (emscripten
// output, loaded with the SSH code) reads it as a free variable, so it is given one here.
(globalThis as { __dirname?: string }).__dirname ??= path.dirname(fileURLToPath(import.meta.url));

// Node 22.1+; on Node 20 there is none, and nothing changes.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (isPostStep()) {
  void import('./post.js').then(({ post }) => post());
} else {
  markMainStep();
  void import('./main.js').then(({ run }) => run());
}
