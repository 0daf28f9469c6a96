/**
 * What a host may be running when it went out of reach in the middle of a deploy: the
 * connection lost, the host no longer answering, or a command whose end it never reported.
 * Nothing more can be done over that connection (no rollback), so the message says what to
 * check.
 */
import { ConnectionLostError, NoReportError } from '../remote/host.js';

/** How far the deploy got on the host. */
export type HostPhase = 'unchanged' | 'starting' | 'rollingBack';

const STATE: Record<HostPhase, string> = {
  unchanged: 'nothing that runs was changed yet: the host still runs the release it ran before',
  starting:
    'the new release may be starting or running, and the previous one may be stopped; ' +
    'no rollback was tried: check the host',
  rollingBack: 'the rollback may be partly done: check what the host runs',
};

/** True when `error` means the host can no longer be told anything over this connection. */
export function isOutOfReach(error: unknown): error is Error {
  return error instanceof ConnectionLostError || error instanceof NoReportError;
}

/** `error`'s message, and what the host may be running after `phase`. */
export function outOfReachMessage(error: Error, phase: HostPhase): string {
  return `${error.message}; ${STATE[phase]}`;
}
