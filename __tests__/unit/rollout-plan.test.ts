/** Compose mode's rollout plan, read on the runner from the compose file as compose reads it. */
import * as yaml from 'yaml';
import { ComposeFileError, rolloutPlan } from '../../src/compose/rollout-plan.js';
import { readComposeTree } from '../../src/swarm/compose-tree.js';

const plan = (text: string, env: Record<string, string> = {}) =>
  rolloutPlan(
    readComposeTree(
      text,
      Object.entries(env).map(([key, value], i) => ({ key, value, line: i + 1 })),
      yaml,
    ),
  );

const START_FIRST = `    deploy:
      update_config:
        order: start-first
`;

describe('rolloutPlan', () => {
  it('is null without a start-first service (compose keeps `up -d` alone)', () => {
    expect(plan('services:\n  web:\n    image: app\n    ports: ["80:80"]\n')).toBeNull();
    expect(
      plan(
        'services:\n  web:\n    image: app\n    deploy:\n      update_config:\n        order: stop-first\n',
      ),
    ).toBeNull();
  });

  it('reads replicas, the grace period and the healthcheck; orders by depends_on', () => {
    const text = `services:
  proxy:
    image: caddy
    ports: ["80:80"]
    depends_on: [web]
  web:
    image: app
    stop_grace_period: 1m30s
    depends_on:
      api: { condition: service_healthy }
    healthcheck: { test: ["CMD", "true"] }
${START_FIRST.replace('    deploy:\n', '    deploy:\n      replicas: ${WEB_REPLICAS}\n')}  api:
    image: api
    scale: 2
    healthcheck: { disable: true }
${START_FIRST}`;
    expect(plan(text, { WEB_REPLICAS: '3' })).toEqual({
      startFirst: [
        { name: 'api', replicas: 2, stopGraceSeconds: 10, healthcheck: false },
        { name: 'web', replicas: 3, stopGraceSeconds: 90, healthcheck: true },
      ],
      recreate: ['proxy'],
    });
  });

  it.each([
    ['ports', '    ports: ["8080:8080"]\n', /services\.web\.ports: .*reverse proxy in front/],
    ['container_name', '    container_name: web\n', /services\.web\.container_name: .*remove it/],
    ['network_mode: host', '    network_mode: host\n', /services\.web\.network_mode/],
  ])(
    'refuses a start-first service with %s, naming the field and what to do',
    (_, extra, error) => {
      const text = `services:\n  web:\n    image: app\n${extra}${START_FIRST}`;
      expect(() => plan(text)).toThrow(ComposeFileError);
      expect(() => plan(text)).toThrow(error);
    },
  );

  it('keeps a plain service with ports as it is', () => {
    const text = `services:\n  proxy:\n    image: caddy\n    ports: ["80:80"]\n  web:\n    image: app\n${START_FIRST}`;
    expect(plan(text)?.recreate).toEqual(['proxy']);
  });

  it('refuses a grace period or replicas compose would not read', () => {
    expect(() =>
      plan(`services:\n  web:\n    image: app\n    stop_grace_period: soon\n${START_FIRST}`),
    ).toThrow(/services\.web\.stop_grace_period: expected a duration/);
    expect(() =>
      plan(`services:\n  web:\n    image: app\n    scale: many\n${START_FIRST}`),
    ).toThrow(/services\.web\.scale: expected a whole number/);
  });
});
