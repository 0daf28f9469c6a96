/** Entry point: the main step, or the post step when the runner runs this file a second time. */
import * as core from '@actions/core';
import { run } from './main.js';
import { post } from './post.js';

const IS_POST = 'is-post';

if (core.getState(IS_POST) === 'true') {
  void post();
} else {
  core.saveState(IS_POST, 'true');
  void run();
}
