/** The real way to reach a droplet: ssh2, with retries, through a jump host when set. */
import { connectWithRetry, type SshTarget } from '../remote/ssh-connect.js';
import type { Inputs } from '../types/settings.js';
import type { DeployDependencies } from './deploy-host.js';
import type { HostLog } from './host-log.js';

/** Connects to a host of `inputs`, logging each retry to `log`. */
export function sshConnector(
  inputs: Inputs,
  log: HostLog,
  tunnel?: SshTarget['tunnel'],
): DeployDependencies['connect'] {
  return (host, retry) =>
    connectWithRetry(
      {
        host,
        port: inputs.port,
        username: inputs.username,
        privateKey: inputs.privateKey,
        passphrase: inputs.passphrase,
        hostKeyPolicy: inputs.hostKeyPolicy,
        tunnel,
      },
      retry,
      (attempt, error, delayMs) =>
        log.info(
          `attempt ${attempt} failed (${error.message}); retrying in ${Math.round(delayMs / 1000)} s`,
        ),
    );
}
