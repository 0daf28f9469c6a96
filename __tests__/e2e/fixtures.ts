/** What the end-to-end tests deploy: a compose file and inputs for a lab droplet. */
import { readFileSync } from 'node:fs';
import { droplet, type Lab } from './lab.js';

/** The service the tests deploy: the lab's test image, its port published inside the droplet. */
export const COMPOSE_FILE = `services:
  web:
    image: \${IMAGE}:\${APP_TAG}
    restart: unless-stopped
    init: true
    env_file: .env
    ports: ["127.0.0.1:8080:8080"]
`;

/** Inputs that deploy `tag` to droplet `i` as the lab's deploy user, everything verified. */
export function deployInputs(
  lab: Lab,
  i: number,
  tag: string,
  over: Record<string, string> = {},
): Record<string, string> {
  const d = droplet(lab, i);
  return {
    host: d.host,
    port: String(d.port),
    username: lab.sshUser,
    'ssh-private-key': readFileSync(lab.sshKey, 'utf8'),
    'host-fingerprint': d.fingerprint,
    registry: lab.registry,
    'registry-username': lab.registryUser,
    'registry-password': lab.registryPassword,
    env: `IMAGE=${lab.image}\nAPP_TAG=${tag}\nSECRET_KEY=s3cr3t-value-42`,
    'setup-timeout': '60',
    'health-timeout': '60',
    'command-timeout': '60',
    ...over,
  };
}

/** The workspace every run gets: the compose file at the default path. */
export const WORKSPACE = { 'docker-compose.yml': COMPOSE_FILE };
