/** Entry point: the main step, or the post step when the runner runs this file a second time. */
import { run } from './main.js';
import { post } from './post.js';
import { isPostStep, markMainStep } from './state.js';

if (isPostStep()) {
  void post();
} else {
  markMainStep();
  void run();
}
