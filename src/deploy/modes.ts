/** Which mode a run deploys in: chosen here, once, from the inputs. */
import type { Inputs } from '../types/settings.js';
import { composeMode } from './compose-mode.js';
import type { DeployMode } from './mode.js';
import { swarmMode } from './swarm-mode.js';

/** The mode `inputs` ask for: `mode: swarm` (a stack plan), or compose. */
export function modeOf(inputs: Inputs): DeployMode {
  return inputs.stack ? swarmMode(inputs, inputs.stack) : composeMode(inputs);
}
