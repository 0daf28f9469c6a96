/**
 * One connection to a jump host (bastion), shared by the tunnels of every droplet behind it,
 * opened on first use; its host key is verified like a droplet's.
 */
import * as core from '@actions/core';
import type { Duplex } from 'node:stream';
import { connectWithRetry, type SshTarget } from './ssh-connect.js';
import type { SshHost } from './ssh-host.js';

/** Opens TCP streams to droplets through the jump host. */
export interface JumpTunnel {
  open(host: string, port: number): Promise<Duplex>;
  close(): void;
}

/** A tunnel through `jump`, retrying its connection for up to `timeoutMs`. */
export function jumpTunnel(jump: Omit<SshTarget, 'tunnel'>, timeoutMs: number): JumpTunnel {
  let bastion: Promise<SshHost> | undefined;
  // Plain lines, not a log group: this runs inside the first droplet's "Connecting" group.
  const connect = async () => {
    core.info(`connecting to the jump host ${jump.host}:${jump.port} as ${jump.username}`);
    const connected = await connectWithRetry(jump, {
      deadline: Date.now() + timeoutMs,
      baseDelayMs: 1_000,
      maxDelayMs: 10_000,
    });
    if (connected.insecure) {
      core.warning(
        `jump host ${jump.host}: host key ${connected.fingerprint} accepted WITHOUT verification`,
      );
    } else core.info(`jump host key verified: ${connected.fingerprint}`);
    return connected;
  };
  return {
    async open(host, port) {
      const attempt = (bastion ??= connect());
      // A failed attempt is forgotten, so the droplet's own retries try the jump host again.
      attempt.catch(() => {
        if (bastion === attempt) bastion = undefined;
      });
      return (await attempt).forward(host, port);
    },
    close() {
      void bastion?.then(
        (connected) => connected.close(),
        () => {},
      );
    },
  };
}
