/** When to tell Slack: the `notify-on` input, and the one decision it drives. */
import type { DeployReport } from '../report/deploy-report.js';

/** The values `notify-on` accepts, in the order the README lists them. */
export const NOTIFY_ON_VALUES = ['always', 'failure', 'success', 'never'] as const;

/** `always` (the default), `failure` (rolled back included), `success` or `never`. */
export type NotifyOn = (typeof NOTIFY_ON_VALUES)[number];

/** True when `value` is one of `NOTIFY_ON_VALUES`; for the input parser. */
export function isNotifyOn(value: string): value is NotifyOn {
  return (NOTIFY_ON_VALUES as readonly string[]).includes(value);
}

/** Whether a run that ended with `status` is announced under `notifyOn`. */
export function shouldNotify(notifyOn: NotifyOn, status: DeployReport['status']): boolean {
  switch (notifyOn) {
    case 'always':
      return true;
    case 'never':
      return false;
    default:
      return notifyOn === status;
  }
}
