/**
 * The stack file of `mode: swarm`: compose's `${...}` rules applied on the runner, the action's
 * `.env` merged into `environment`, and a file that docker's stack loader (which interpolates
 * it once more and reads it as YAML 1.1) reads back as exactly the values of `env`.
 */
import { spawnSync } from 'node:child_process';
import * as yaml from 'yaml';
import { renderStack, StackFileError } from '../../src/swarm/stack-file.js';
import type { EnvVar } from '../../src/types/settings.js';
import { randomValues } from '../support/random-values.js';
import { TRICKY_VALUES } from '../support/tricky-values.js';
import { DOCKER_CLI, itWith } from '../support/requires.js';

type Tree = Record<string, unknown>;

const vars = (values: Record<string, string>): EnvVar[] =>
  Object.entries(values).map(([key, value], i) => ({ key, value, line: i + 1 }));

const render = (compose: string, env: Record<string, string> = {}) =>
  renderStack(compose, vars(env), yaml);

/** What docker's interpolation makes of a value we wrote: no lone `$` left, `$$` one `$`. */
function undoDollars(value: string): string {
  expect(value.replaceAll('$$', '')).not.toContain('$');
  return value.replaceAll('$$', '$');
}

function undoAll(node: unknown): unknown {
  if (typeof node === 'string') return undoDollars(node);
  if (Array.isArray(node)) return node.map(undoAll);
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, undoAll(v)]));
  return node;
}

/** The stack file as a YAML 1.1 reader (Go's yaml.v2, which docker uses) and docker see it. */
const readBack = (text: string) => undoAll(yaml.parse(text, { version: '1.1' })) as Tree;
const service = (text: string, name = 'web') =>
  (readBack(text).services as Record<string, Tree>)[name];

const WEB = (lines: string) => `services:\n  web:\n    image: nginx\n${lines}`;
const withDotEnv = (lines = '') => WEB(`    env_file: .env\n${lines}`);

/** The error `renderStack` throws, to look at its message. */
function renderError(compose: string, env: Record<string, string> = {}): StackFileError {
  try {
    render(compose, env);
  } catch (error) {
    expect(error).toBeInstanceOf(StackFileError);
    return error as StackFileError;
  }
  throw new Error('renderStack did not throw');
}

describe('interpolation by compose rules, of every string value', () => {
  const env = { A: 'alpha', E: '', N: '3' };
  it.each([
    ['$A', 'alpha'],
    ['${A}', 'alpha'],
    ['x${A}y', 'xalphay'],
    ['${U:-dflt}', 'dflt'],
    ['${E:-dflt}', 'dflt'],
    ['${E-dflt}', ''],
    ['${U-dflt}', 'dflt'],
    ['${A:+alt}', 'alt'],
    ['${E:+alt}', ''],
    ['${E+alt}', 'alt'],
    ['${U+alt}', ''],
    ['${A:?needed}', 'alpha'],
    ['${E?needed}', ''],
    ['${U:-${A}}', 'alpha'],
    ['$$A', '$A'],
    ['$${A}', '${A}'],
    ['a $ b $1', 'a $ b $1'],
  ])('%s', (template, expected) => {
    const { text, warnings } = render(WEB(`    labels:\n      x: '${template}'\n`), env);
    expect(service(text).labels).toEqual({ x: expected });
    expect(warnings).toEqual([]);
  });

  it('substitutes an empty string for an unset variable, with one warning per name', () => {
    const { text, warnings } = render(
      WEB(`    labels:\n      a: "\${U}-\${U}"\n      b: $V\n    command: ["\${U}"]\n`),
    );
    expect(service(text)).toMatchObject({ labels: { a: '-', b: '' }, command: [''] });
    expect(warnings).toEqual([
      "variable U is not set in 'env': an empty string is used",
      "variable V is not set in 'env': an empty string is used",
    ]);
  });

  it.each([
    ['${U:?say so}', 'U'],
    ['${E:?}', 'E'],
    ['${U?}', 'U'],
  ])('a required variable (%s) without a value is an error naming the place', (template, name) => {
    expect(renderError(WEB(`    labels:\n      x: '${template}'\n`), env).message).toBe(
      `services.web.labels.x: required variable ${name} is missing a value`,
    );
  });

  it.each(['${}', '${A B}', '${A'])(
    'an invalid template (%s) is an error naming the place',
    (t) => {
      expect(renderError(WEB(`    command: [a, '${t}']\n`), env).message).toMatch(
        /^services\.web\.command\[1\]: invalid template/,
      );
    },
  );

  it('leaves mapping keys, numbers and booleans as they are, writing plain ones as written', () => {
    const { text } = render(
      WEB(
        "    labels:\n      '${A}': v\n    tty: true\n    secrets:\n      - source: s\n        mode: 0440\n" +
          '    deploy:\n      replicas: 3\n      update_config:\n        max_failure_ratio: 1e-1\n',
      ),
      env,
    );
    expect(text).toContain('mode: 0440\n');
    expect(text).toContain('max_failure_ratio: 1e-1\n');
    expect(service(text)).toMatchObject({
      labels: { '${A}': 'v' },
      tty: true,
      secrets: [{ source: 's', mode: 0o440 }],
      deploy: { replicas: 3 },
    });
  });

  it('casts what it substitutes where docker casts it: numbers and booleans', () => {
    const { text } = render(
      WEB(
        "    tty: '${T}'\n    ports:\n      - target: 80\n        published: '${N}000'\n" +
          '    deploy:\n      replicas: ${N}\n',
      ),
      { ...env, T: 'Yes' },
    );
    expect(service(text)).toMatchObject({
      tty: true,
      ports: [{ target: 80, published: 3000 }],
      deploy: { replicas: 3 },
    });
  });

  it('a substituted value docker could not cast is an error naming the place, not the value', () => {
    const error = renderError(WEB('    deploy:\n      replicas: ${A}\n'), env);
    expect(error.message).toBe(
      'services.web.deploy.replicas: expected an integer once substituted (docker casts it)',
    );
  });

  it('substitutes in extension fields and other top-level sections too', () => {
    const { text } = render(
      `x-note: $A\nservices:\n  web:\n    image: nginx:\${N}\nnetworks:\n  n:\n    name: net-$A\n`,
      env,
    );
    expect(readBack(text)).toMatchObject({
      'x-note': 'alpha',
      services: { web: { image: 'nginx:3' } },
      networks: { n: { name: 'net-alpha' } },
    });
    expect(render(WEB(''), env).services[0].image).toBe('nginx');
    expect(render(WEB('').replace('nginx', 'reg/app:$N'), env).services[0].image).toBe('reg/app:3');
  });
});

describe("the action's .env as env_file", () => {
  const env = { A: 'from-env', B: 'b', C: 'c' };

  it.each([
    ['a string', '    env_file: .env\n'],
    ['./.env', '    env_file: ./.env\n'],
    ['a list', '    env_file:\n      - .env\n'],
    ['the long syntax', '    env_file:\n      - path: ./.env\n        required: false\n'],
  ])('%s: becomes environment, and env_file goes', (_, lines) => {
    const web = service(render(WEB(lines), env).text);
    expect(web.environment).toEqual(env);
    expect(web).not.toHaveProperty('env_file');
  });

  it("explicit environment entries win over the file's values, as compose ranks them", () => {
    const web = service(render(withDotEnv('    environment:\n      A: explicit\n'), env).text);
    expect(web.environment).toEqual({ A: 'explicit', B: 'b', C: 'c' });
  });

  it('keeps other files for docker to read, with a warning each', () => {
    const { text, warnings } = render(
      WEB('    env_file:\n      - common.env\n      - .env\n      - path: ./extra.env\n'),
      env,
    );
    expect(service(text)).toMatchObject({
      env_file: ['common.env', './extra.env'],
      environment: env,
    });
    expect(warnings).toEqual([
      "services.web.env_file: common.env is read by docker's own rules on the manager, not compose's",
      "services.web.env_file: ./extra.env is read by docker's own rules on the manager, not compose's",
    ]);
  });

  it('without env_file: .env, the values of env are only for interpolation', () => {
    const web = service(render(WEB('    labels:\n      a: $A\n'), env).text);
    expect(web).not.toHaveProperty('environment');
    expect(web.labels).toEqual({ a: 'from-env' });
  });
});

describe('environment, as a map or a list', () => {
  const env = { FROM_ENV: 'v' };
  it.each([
    [
      'list',
      '    environment:\n      - X=1\n      - EMPTY=\n      - EQ=a=b\n      - FROM_ENV\n      - MISSING\n',
    ],
    [
      'map',
      "    environment:\n      X: '1'\n      EMPTY: ''\n      EQ: a=b\n      FROM_ENV:\n      MISSING: null\n",
    ],
  ])('in %s form becomes a map; a bare KEY takes its value from env, or stays null', (_, lines) => {
    const { text } = render(WEB(lines), env);
    expect(service(text).environment).toEqual({
      X: '1',
      EMPTY: '',
      EQ: 'a=b',
      FROM_ENV: 'v',
      MISSING: null,
    });
  });

  it('quotes keys a YAML 1.1 reader would take for booleans', () => {
    const { text } = render(withDotEnv(), { on: 'x', y: 'z', N: 'n' });
    expect(service(text).environment).toEqual({ on: 'x', y: 'z', N: 'n' });
  });
});

/** Values YAML 1.1 would read as something else, and characters it must get escaped. */
const YAML_11_TRAPS: Record<string, string> = {
  YES: 'yes',
  NO: 'No',
  ON: 'on',
  OFF: 'OFF',
  Y: 'y',
  EXP: '1e3',
  HEX: '0x10',
  TILDE: '~',
  NULL: 'null',
  OCTAL: '012',
  UNDERSCORE: '1_000',
  INF: '.inf',
  NAN: '.NaN',
  DATE: '2001-12-14',
  SEXAGESIMAL: '1:20',
  BOOL: 'true',
  NUM: '8080',
  EMPTY_ISH: ' ',
  DASH: '- x',
  FLOW: '{a: [b]}',
  ANCHOR: '&a *b !tag',
  COMMENT: 'a #b',
  COLON: 'key: value',
  DOLLARS: '$$ $ ${X} $X ${X:-y} $$$',
  BRACES: '{}${}}',
  CONTROL: '\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f',
  LINE_BREAKS: 'a\nb\rc\r\n\u0085d\u2028e\u2029f',
  BOM: '\ufeffbom',
  SPACES: '  lead and trail  \t',
  UNICODE: 'é€中🙂\u00a0\u3000\ufffd',
  LONG: `${'word '.repeat(2000)}end`,
};
const BATTERY = { ...TRICKY_VALUES, ...YAML_11_TRAPS };

describe('the values docker sees are the values of env, byte for byte', () => {
  it.each(Object.entries(BATTERY))('%s, as environment from .env', (key, value) => {
    expect(service(render(withDotEnv(), { [key]: value }).text).environment).toEqual({
      [key]: value,
    });
  });

  it('the whole battery, as environment and as labels substituted from it', () => {
    const keys = Object.keys(BATTERY);
    const labels = keys.map((key) => `      ${key}: \${${key}}\n`).join('');
    const web = service(render(withDotEnv(`    labels:\n${labels}`), BATTERY).text);
    expect(web.environment).toEqual(BATTERY);
    expect(web.labels).toEqual(BATTERY);
  });

  it('300 random values of every kind of character, both ways', () => {
    const random = Object.fromEntries(randomValues(300, 7).map((value, i) => [`V${i}`, value]));
    const labels = Object.keys(random).map((key) => `      ${key}: x\${${key}}x\n`);
    const web = service(render(withDotEnv(`    labels:\n${labels.join('')}`), random).text);
    expect(web.environment).toEqual(random);
    expect(web.labels).toEqual(
      Object.fromEntries(Object.entries(random).map(([k, v]) => [k, `x${v}x`])),
    );
  });

  it('double-quotes every string and never folds a line', () => {
    const { text } = render(withDotEnv(), { LONG: BATTERY.LONG, V_YES: 'yes', NUM: '8080' });
    expect(text).toContain(`LONG: "${BATTERY.LONG}"\n`);
    expect(text).toContain('V_YES: "yes"\n');
    expect(text).toContain('NUM: "8080"\n');
    expect(text).toContain('image: "nginx"\n');
  });
});

describe('the characters written', () => {
  it('escapes every character a YAML 1.1 reader refuses raw or takes for a line break', () => {
    const { text } = render(withDotEnv(), { ...BATTERY, ...YAML_11_TRAPS });
    // Line breaks are only those between lines; the rest is YAML 1.1's printable set.
    for (const line of text.split('\n'))
      expect(line).not.toMatch(
        /[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u,
      );
    expect(text).toContain('LINE_BREAKS: "a\\nb\\rc\\r\\n\\x85d\\u2028e\\u2029f"');
  });
});

describe('what docker CLI 20.10 reads', () => {
  it('sets version 3.8, first, when the file has none, and drops the top-level name', () => {
    const { text } = render(`name: app\nservices:\n  web:\n    image: nginx\n`);
    expect(text.startsWith('version: "3.8"\nservices:\n')).toBe(true);
    expect(readBack(text)).not.toHaveProperty('name');
  });

  it.each(["'3'", '3', "'3.3'", '3.2', '"3.0"'])(
    'reads version %s as 3.4 (update_config.order needs it), and says so',
    (version) => {
      const { text, warnings } = render(
        `version: ${version}\nservices:\n  web:\n    image: nginx\n`,
      );
      expect(readBack(text).version).toBe('3.4');
      expect(warnings).toContainEqual(
        expect.stringMatching(/^version: '3(\.\d)?' is read as '3\.4'/),
      );
    },
  );

  it('keeps a version the file gives, where it gives it', () => {
    const { text } = render(`services:\n  web:\n    image: nginx\nversion: '3.9'\n`);
    expect(Object.keys(readBack(text))).toEqual(['services', 'version']);
    expect(readBack(text).version).toBe('3.9');
  });

  it('keeps only the names of a long-syntax depends_on, which the v3 schema takes as a list', () => {
    const { text } = render(
      WEB('    depends_on:\n      db:\n        condition: service_healthy\n') +
        '  db:\n    image: postgres\n',
    );
    expect(service(text).depends_on).toEqual(['db']);
  });
});

describe('rolling updates', () => {
  it('without update_config: start-first, pausing on failure', () => {
    const { text, services } = render(WEB(''));
    expect(service(text).deploy).toEqual({
      update_config: { order: 'start-first', failure_action: 'pause' },
    });
    expect(services[0].updateOrder).toBe('start-first');
  });

  it('stop-first when the service publishes a port in host mode', () => {
    const ports = '    ports:\n      - target: 80\n        published: 80\n        mode: host\n';
    const { text, services } = render(WEB(`${ports}    deploy:\n      replicas: 2\n`));
    expect(service(text).deploy).toEqual({
      replicas: 2,
      update_config: { order: 'stop-first', failure_action: 'pause' },
    });
    expect(services[0].updateOrder).toBe('stop-first');
  });

  it.each([
    ['parallelism: 2', 'stop-first'],
    ['order: start-first', 'start-first'],
    ['order: stop-first', 'stop-first'],
  ])('an update_config given (%s) is kept as it is', (line, order) => {
    const { text, services } = render(WEB(`    deploy:\n      update_config:\n        ${line}\n`));
    expect(service(text).deploy).toEqual({ update_config: yaml.parse(line) });
    expect(services[0].updateOrder).toBe(order);
  });
});

describe('ports', () => {
  const ports = (lines: string) => render(WEB(`    ports:\n${lines}`));

  it('lists the ports published in host mode: numbers, numeric strings, ranges', () => {
    const { services, warnings } = ports(
      '      - {target: 80, published: 8080, mode: host}\n' +
        '      - {target: 81, published: "9090", mode: host}\n' +
        '      - {target: 82, published: "7000-7002", mode: host}\n' +
        '      - {target: 83, published: 6000, mode: ingress}\n' +
        '      - {target: 84, published: 6001}\n' +
        '      - {target: 85, mode: host}\n',
    );
    expect(services[0].hostModePorts).toEqual([8080, 9090, 7000, 7001, 7002]);
    expect(warnings).toEqual([]);
  });

  it('warns once per service of short-syntax ports, which go through the routing mesh', () => {
    const { services, warnings } = ports('      - "80:80"\n      - 443\n');
    expect(services[0].hostModePorts).toEqual([]);
    expect(warnings).toEqual([
      "services.web.ports: published through Swarm's routing mesh (ingress); use mode: host to bind on the node itself",
    ]);
  });
});

describe('options Swarm ignores', () => {
  const IGNORED = [
    'cgroup_parent',
    'cgroupns_mode',
    'devices',
    'domainname',
    'external_links',
    'ipc',
    'links',
    'mac_address',
    'network_mode',
    'pid',
    'privileged',
    'security_opt',
    'shm_size',
    'userns_mode',
  ];
  it.each(IGNORED)('%s: a warning, the option kept', (option) => {
    const { text, warnings } = render(WEB(`    ${option}: x\n`));
    expect(warnings).toEqual([`services.web.${option}: ignored by Swarm`]);
    expect(service(text)).toHaveProperty(option);
  });

  it.each([
    ['build', "ignored by Swarm (Swarm pulls 'image')"],
    ['restart', 'ignored by Swarm: use deploy.restart_policy'],
    ['container_name', 'ignored by Swarm: tasks are named by Swarm'],
    ['depends_on', 'ignored by Swarm: Swarm starts every service at once'],
  ])('%s: a warning with a hint', (option, message) => {
    const value = option === 'depends_on' ? '[db]' : 'x';
    expect(render(WEB(`    ${option}: ${value}\n`)).warnings).toEqual([
      `services.web.${option}: ${message}`,
    ]);
  });

  it('one warning per service and option', () => {
    const compose = `services:\n  a:\n    image: x\n    restart: always\n    ipc: host\n  b:\n    image: y\n    restart: always\n`;
    expect(render(compose).warnings).toEqual([
      'services.a.restart: ignored by Swarm: use deploy.restart_policy',
      'services.a.ipc: ignored by Swarm',
      'services.b.restart: ignored by Swarm: use deploy.restart_policy',
    ]);
  });

  it('what docker stack deploy refuses is an error, with its advice', () => {
    expect(renderError(WEB('    mem_limit: 1g\n')).message).toBe(
      'services.web.mem_limit: not supported by Swarm: use deploy.resources',
    );
  });
});

describe('services', () => {
  it.each([
    ['no image', 'services:\n  web:\n    build: .\n'],
    ['an empty image', "services:\n  web:\n    image: ''\n"],
    ['an image that substitutes to nothing', 'services:\n  web:\n    image: ${U}\n'],
  ])('%s is an error: Swarm builds nothing', (_, compose) => {
    expect(renderError(compose).message).toBe(
      "services.web: no 'image': Swarm does not build images ('build' is ignored)",
    );
  });

  it('reports each service with its name and image', () => {
    const { services } = render('services:\n  a:\n    image: x:1\n  b:\n    image: y\n');
    expect(services.map((s) => [s.name, s.image])).toEqual([
      ['a', 'x:1'],
      ['b', 'y'],
    ]);
  });

  it.each([
    ['not YAML', 'services: [a\n', /^the compose file is not YAML: /],
    ['no services', 'volumes: {}\n', /^services: expected a mapping of services$/],
    ['services as a list', 'services: [a]\n', /^services: expected a mapping of services$/],
    ['a service as a string', 'services:\n  web: nginx\n', /^services\.web: expected a mapping$/],
  ])('%s is an error', (_, compose, message) => {
    expect(renderError(compose).message).toMatch(message);
  });
});

describe('anchors, aliases and merge keys', () => {
  it('are resolved, extension fields and all', () => {
    const compose = [
      'x-common: &common',
      '  image: app:${TAG}',
      '  environment: &env',
      '    LEVEL: info',
      'x-limits: &limits',
      '  deploy:',
      '    replicas: 2',
      'services:',
      '  web:',
      '    <<: *common',
      '    labels: *env',
      '  worker:',
      '    <<: [*common, *limits]',
      '    image: worker:${TAG}',
      '',
    ].join('\n');
    const { text, services } = render(compose, { TAG: '7' });
    expect(services.map((s) => s.image)).toEqual(['app:7', 'worker:7']);
    expect(service(text, 'web')).toMatchObject({
      image: 'app:7',
      environment: { LEVEL: 'info' },
      labels: { LEVEL: 'info' },
    });
    expect(service(text, 'worker')).toMatchObject({
      image: 'worker:7',
      deploy: { replicas: 2 },
    });
    expect(readBack(text)['x-common']).toEqual({
      image: 'app:7',
      environment: { LEVEL: 'info' },
    });
    expect(text).not.toMatch(/[&*]common|<</);
  });
});

describe('no warning and no error ever holds a value of env', () => {
  const SECRET = 'hunter2-s3cr3t';
  const env = { PASSWORD: SECRET, TAG: SECRET, N: SECRET, EMPTY: '' };
  it('warnings', () => {
    const compose = WEB(
      '    env_file: [.env, other.env]\n    restart: always\n    ports: ["80:80"]\n' +
        '    labels:\n      a: ${UNSET}\n      b: $PASSWORD\n',
    );
    const { text, warnings } = render(compose, env);
    expect(warnings.length).toBeGreaterThan(3);
    for (const warning of warnings) expect(warning).not.toContain(SECRET);
    expect(text).toContain(SECRET);
  });

  it.each([
    ['a cast', WEB('    deploy:\n      replicas: $N\n')],
    ['a required variable', WEB('    labels:\n      a: ${EMPTY:?no}$PASSWORD\n')],
    ['an invalid template', WEB('    labels:\n      a: $PASSWORD ${\n')],
    ['a host port', WEB('    ports:\n      - {target: 1, published: "$N", mode: host}\n')],
    ['an image', 'services:\n  web:\n    image: $EMPTY\n    labels: {a: $PASSWORD}\n'],
  ])('errors: %s', (_, compose) => {
    expect(renderError(compose, env).message).not.toContain(SECRET);
  });
});

/** docker's CLI, whose `docker stack config` runs the stack loader with no daemon. */
function dockerStackConfig(text: string): string {
  const result = spawnSync('docker', ['stack', 'config', '-c', '-'], {
    input: text,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  if (result.error || result.status !== 0) throw new Error(`docker stack config: ${result.stderr}`);
  return result.stdout;
}

/**
 * What `docker stack config` prints is yaml.v3's output, which loses a leading line break and
 * prints U+2028 and U+2029 raw in single quotes, where readers differ: the values checked
 * through it are kept clear of both (the YAML 1.1 reading above covers them).
 */
const printable = (values: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, `<${v.replace(/[\u2028\u2029]/g, '')}>`]),
  );

describe("docker's own stack loader", () => {
  itWith(DOCKER_CLI)('accepts the file and reads back every value byte for byte', () => {
    const random = Object.fromEntries(randomValues(200, 11).map((value, i) => [`R${i}`, value]));
    const values = printable({ ...BATTERY, ...random });
    const compose = withDotEnv(
      '    labels:\n      a: "${YES}"\n    ports:\n      - {target: 80, published: 8080, mode: host}\n' +
        '      - "443:443"\n    deploy:\n      replicas: 2\n    secrets:\n      - source: s\n        mode: 0440\n' +
        'secrets:\n  s:\n    external: true\n',
    );
    const read = yaml.parse(dockerStackConfig(render(compose, values).text)) as {
      services: Record<string, Tree>;
    };
    const web = read.services.web;
    expect(web.environment).toEqual(values);
    expect(web).toMatchObject({
      labels: { a: '<yes>' },
      deploy: { replicas: 2, update_config: { order: 'stop-first', failure_action: 'pause' } },
      secrets: [{ source: 's', mode: 0o440 }],
    });
  });
});
