/** When to tell Slack: the `notify-on` input, and the one decision it drives. */
import { NOTIFY_ON_VALUES, type NotifyOn } from '../types/settings.js';
import type { DeployReport } from '../types/report.js';

export { NOTIFY_ON_VALUES, type NotifyOn } from '../types/settings.js';

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
