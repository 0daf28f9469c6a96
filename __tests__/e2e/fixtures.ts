/** What the end-to-end tests deploy: a compose file and inputs for a lab droplet. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

/**
 * Logs droplet `i`'s deploy user in to the lab registry directly (as an earlier run would have),
 * so a test can deploy without `registry` and still pull.
 */
export function preLogin(lab: Lab, i: number): void {
  const auth = Buffer.from(`${lab.registryUser}:${lab.registryPassword}`).toString('base64');
  writeFileSync(
    path.join(droplet(lab, i).dockerConfig, 'config.json'),
    JSON.stringify({ auths: { [lab.registry]: { auth } } }),
  );
}

/**
 * The secrets that show in the log before the runner was told to mask them, read the way the
 * runner reads it: a value is masked from its `::add-mask::` line on.
 */
export function unmaskedLeaks(stdout: string, secrets: readonly string[]): string[] {
  const masked = new Set<string>();
  const leaks = new Set<string>();
  for (const line of stdout.split('\n')) {
    if (line.startsWith('::add-mask::')) {
      masked.add(line.slice('::add-mask::'.length));
      continue;
    }
    for (const secret of secrets)
      if (line.includes(secret) && !masked.has(secret)) leaks.add(secret);
  }
  return [...leaks];
}

/** A .env written the way people write them; BATTERY_EXPECTED is what compose gives the container. */
export const BATTERY = readFileSync(path.resolve('__tests__/e2e/fixtures/battery.env'), 'utf8');

export const BATTERY_EXPECTED: Record<string, string> = {
  NODE_ENV: 'production',
  GREETING: 'hello world',
  PASSWORD: 's3cr$t',
  PADDED: '  two spaces each side  ',
  URL: 'postgres://app:pw@db:5432/app?sslmode=disable',
  HASH_IN_QUOTES: 'not # a comment',
  NOT_A_COMMENT: 'abc#def',
  EQUALS: 'a=b==c',
  LITERAL_HOME: '$HOME and ${HOME}',
  HOST: 'db.internal',
  DSN: 'postgres://db.internal:5432/app',
  PRICE: 'costs $5 or $6',
  WINDOWS_PATH: 'C:\\Program Files\\app\\',
  ESCAPES: 'tab\there\nnew line',
  SINGLE_ESCAPES: 'kept \\n as is',
  UNICODE: 'üñíçødé € 中文 🙂',
  CERT: '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUX\n-----END CERTIFICATE-----',
  EMPTY: '',
  QUOTED_EMPTY: '',
  YAML_STYLE: 'colon works too',
  RAW_SECRET: `a secret with 'quotes', "doubles", \${braces}, $dollars and # hashes`,
};
