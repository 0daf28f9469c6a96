// A stand-in for the docker CLI (and compose, v2 plugin and v1 binary alike) on a host that
// script tests run without root: it answers from a JSON state file the way the real CLI does
// for the commands the host scripts use, records every call, and updates the state (tags,
// removed images, containers after `up`). Go templates (`-f`, `--format`) are evaluated for
// the constructs the real CLI supports that the scripts use: fields, index, if/else, range, json.
//
//   STUB_STATE  the state file (see __tests__/support/host-sandbox.ts for its shape)
//   STUB_CALLS  the calls log: one JSON line per call {argv, cwd, dockerConfig}
/* global process */ // Node globals, for ESLint
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { swarmCommand } from './docker-swarm.mjs';

const stateFile = process.env.STUB_STATE;
const state = JSON.parse(readFileSync(stateFile, 'utf8'));
const save = () => writeFileSync(stateFile, JSON.stringify(state, null, 2));
const out = (text) => process.stdout.write(text);
const err = (text) => process.stderr.write(text);

const invokedAs = path.basename(process.argv[1]);
const args = process.argv.slice(2);
appendFileSync(
  process.env.STUB_CALLS,
  JSON.stringify({
    argv: [invokedAs, ...args],
    cwd: process.cwd(),
    dockerConfig: process.env.DOCKER_CONFIG ?? null,
  }) + '\n',
);

// ---- Go templates ------------------------------------------------------------------------
function tokens(template) {
  const parts = [];
  let rest = template;
  while (rest.length) {
    const at = rest.indexOf('{{');
    if (at < 0) {
      parts.push({ text: rest });
      break;
    }
    if (at > 0) parts.push({ text: rest.slice(0, at) });
    const end = rest.indexOf('}}', at);
    parts.push({ action: rest.slice(at + 2, end).trim() });
    rest = rest.slice(end + 2);
  }
  return parts;
}

function parse(list, stop = []) {
  const nodes = [];
  while (list.length) {
    const token = list[0];
    if (token.action !== undefined && stop.some((word) => token.action.startsWith(word))) break;
    list.shift();
    if (token.text !== undefined) nodes.push(token);
    else if (token.action.startsWith('if ')) {
      const then = parse(list, ['else', 'end']);
      let otherwise = [];
      if (list.shift().action === 'else') {
        otherwise = parse(list, ['end']);
        list.shift();
      }
      nodes.push({ if: token.action.slice(3), then, otherwise });
    } else if (token.action.startsWith('range ')) {
      const body = parse(list, ['end']);
      list.shift();
      nodes.push({ range: token.action.slice(6), body });
    } else nodes.push({ expr: token.action });
  }
  return nodes;
}

function field(dot, expr) {
  if (expr === '.') return dot;
  return expr
    .split('.')
    .slice(1)
    .reduce((value, name) => {
      if (value === null || value === undefined) throw new Error(`nil pointer evaluating ${expr}`);
      return value[name];
    }, dot);
}

function evaluate(dot, expr) {
  const index = /^index (\S+) "([^"]*)"$/.exec(expr);
  if (index) return (field(dot, index[1]) ?? {})[index[2]] ?? '';
  const json = /^json (\S+)$/.exec(expr);
  if (json) return JSON.stringify(field(dot, json[1]) ?? null);
  return field(dot, expr);
}

function render(nodes, dot) {
  return nodes
    .map((node) => {
      if (node.text !== undefined) return node.text;
      if (node.if !== undefined) {
        const value = evaluate(dot, node.if);
        const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
        return render(truthy ? node.then : node.otherwise, dot);
      }
      if (node.range !== undefined)
        return (evaluate(dot, node.range) ?? []).map((item) => render(node.body, item)).join('');
      const value = evaluate(dot, node.expr);
      return value === undefined || value === null ? '<no value>' : String(value);
    })
    .join('');
}

const format = (template, dot) => render(parse(tokens(template)), dot) + '\n';

// ---- the objects -------------------------------------------------------------------------
const short = (id) => id.replace(/^sha256:/, '').slice(0, 12);
const findContainer = (ref) =>
  state.containers.find((c) => c.ID === ref || c.ID.startsWith(ref) || c.Name === `/${ref}`);
const findImage = (ref) =>
  state.images.find(
    (i) => i.ID === ref || short(i.ID) === short(ref) || (i.RepoTags ?? []).includes(ref),
  );

/** The container as `docker inspect` sees it now; each call moves it to its next state. */
function inspectContainer(container) {
  const states = container.states ?? [{}];
  const now = states[Math.min(container.inspected ?? 0, states.length - 1)];
  container.inspected = (container.inspected ?? 0) + 1;
  return {
    ID: container.ID,
    Name: container.Name,
    Image: container.Image,
    RestartCount: now.RestartCount ?? 0,
    State: {
      Status: now.Status ?? 'running',
      ExitCode: now.ExitCode ?? 0,
      Health: now.Health ? { Status: now.Health } : null,
      // Unless a test says otherwise, the container has just (re)started.
      StartedAt: now.StartedAt ?? new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1456789Z'),
    },
    Config: {
      Image: container.Config.Image,
      Labels: container.Config.Labels ?? {},
      Healthcheck: container.Config.Healthcheck ?? null,
    },
  };
}

const isRunning = (container) => {
  const states = container.states ?? [{}];
  return (
    (states[Math.min(container.inspected ?? 0, states.length - 1)].Status ?? 'running') ===
    'running'
  );
};

function option(list, names) {
  const at = list.findIndex((a) => names.includes(a));
  if (at < 0) return undefined;
  const value = list[at + 1];
  list.splice(at, 2);
  return value;
}

// ---- docker ------------------------------------------------------------------------------
function inspect(list) {
  const template = option(list, ['-f', '--format']);
  const refs = list.filter((a) => !a.startsWith('-'));
  if (refs.length === 0) {
    err('"docker inspect" requires at least 1 argument.\n');
    return 1;
  }
  let code = 0;
  for (const ref of refs) {
    const container = findContainer(ref);
    const image = container ? undefined : findImage(ref);
    if (!container && !image) {
      err(`Error: No such object: ${ref}\n`);
      code = 1;
      continue;
    }
    const dot = container ? inspectContainer(container) : image;
    try {
      out(template ? format(template, dot) : JSON.stringify([dot]) + '\n');
    } catch (error) {
      err(`template: ${error.message}\n`);
      code = 1;
    }
  }
  save();
  return code;
}

function imageInspect(list) {
  const template = option(list, ['-f', '--format']);
  let code = 0;
  for (const ref of list.filter((a) => !a.startsWith('-'))) {
    const image = findImage(ref);
    if (!image) {
      err(`Error: No such image: ${ref}\n`);
      code = 1;
    } else out(format(template, image));
  }
  return code;
}

function images(list) {
  const template = option(list, ['--format']);
  const noTrunc = list.includes('--no-trunc');
  for (const image of state.images) {
    const tags = image.RepoTags?.length ? image.RepoTags : ['<none>:<none>'];
    for (const tag of tags) {
      const colon = tag.lastIndexOf(':');
      const row = {
        Repository: tag.slice(0, colon),
        Tag: tag.slice(colon + 1),
        ID: noTrunc ? image.ID : short(image.ID),
      };
      out(format(template ?? '{{.Repository}} {{.Tag}} {{.ID}}', row));
    }
  }
  return 0;
}

function rmi(list) {
  let code = 0;
  for (const ref of list.filter((a) => !a.startsWith('-'))) {
    const image = findImage(ref);
    if (!image) {
      err(`Error: No such image: ${ref}\n`);
      code = 1;
      continue;
    }
    if (state.containers.some((c) => c.Image === image.ID)) {
      err(
        `Error response from daemon: conflict: unable to delete ${short(image.ID)} (cannot be forced) - image is being used by a container\n`,
      );
      code = 1;
      continue;
    }
    state.images = state.images.filter((i) => i !== image);
    out(`Deleted: ${image.ID}\n`);
  }
  save();
  return code;
}

function rm(list) {
  let code = 0;
  for (const ref of list.filter((a) => !a.startsWith('-'))) {
    const container = findContainer(ref);
    if (!container) {
      err(`Error response from daemon: No such container: ${ref}\n`);
      code = 1;
      continue;
    }
    state.containers = state.containers.filter((c) => c !== container);
    out(`${ref}\n`);
  }
  save();
  return code;
}

function tag([source, target]) {
  const image = findImage(source);
  if (!image) {
    err(`Error response from daemon: No such image: ${source}\n`);
    return 1;
  }
  for (const other of state.images)
    other.RepoTags = (other.RepoTags ?? []).filter((t) => t !== target);
  image.RepoTags.push(target);
  save();
  return 0;
}

function logs(list) {
  const tail = Number(option(list, ['--tail']) ?? 1e9);
  const container = findContainer(list.find((a) => !a.startsWith('-')));
  if (!container) return 1;
  out(
    (container.logs ?? [])
      .slice(-tail)
      .map((line) => `${line}\n`)
      .join(''),
  );
  return 0;
}

/** The auth the current docker config holds for `server`, if any. */
function authFor(server) {
  const dir = process.env.DOCKER_CONFIG ?? path.join(process.env.HOME ?? '/root', '.docker');
  const file = path.join(dir, 'config.json');
  return existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8')).auths?.[server]?.auth
    : undefined;
}

function login([server]) {
  const auth = authFor(server);
  if (!auth) {
    err('Error: Cannot perform an interactive login from a non TTY device\n');
    return 1;
  }
  if (state.registry?.[server] !== auth) {
    err(
      `Error response from daemon: Get "https://${server}/v2/": unauthorized: authentication required\n`,
    );
    return 1;
  }
  out('Login Succeeded\n');
  return 0;
}

function ps(list) {
  const all = list.includes('-a') || list.some((a) => /^-[a-z]*a/.test(a));
  const noTrunc = list.includes('--no-trunc');
  const labels = list.flatMap((arg, i) =>
    list[i - 1] === '--filter' && arg.startsWith('label=') ? [arg.slice(6)] : [],
  );
  const matches = (container) =>
    labels.every((label) => {
      const [key, value] = label.split(/=(.*)/s);
      const actual = container.Config.Labels?.[key];
      return value === undefined ? actual !== undefined : actual === value;
    });
  for (const container of state.containers)
    if ((all || isRunning(container)) && matches(container))
      out(`${noTrunc ? container.ID : short(container.ID)}\n`);
  return 0;
}

/** `docker stop [-t N] IDS`: the containers exit 0; `docker rm [-f] IDS`: they are gone. */
function stopOrRemove(command, list) {
  option(list, ['-t', '--time']);
  const refs = list.filter((a) => !a.startsWith('-'));
  for (const ref of refs) {
    const container = findContainer(ref);
    if (!container) {
      err(`Error response from daemon: No such container: ${ref}\n`);
      return 1;
    }
    if (command === 'rm') state.containers = state.containers.filter((c) => c !== container);
    else {
      container.states = [{ Status: 'exited', ExitCode: 0 }];
      container.inspected = 0;
    }
    out(`${ref}\n`);
  }
  save();
  return 0;
}

// ---- compose -----------------------------------------------------------------------------
function compose(list) {
  const project =
    option(list, ['--project-name', '-p']) ?? path.basename(process.cwd()).toLowerCase();
  // A file named with --file must exist (relative to the folder compose runs in), as for compose.
  const file = option(list, ['--file', '-f']);
  if (file !== undefined && !existsSync(path.resolve(file))) {
    err(`open ${path.resolve(file)}: no such file or directory\n`);
    return 14;
  }
  const settings = state.compose ?? {};
  const [command, ...rest] = list;
  const answer = (step) => {
    const result = settings[step] ?? {};
    if (result.stdout) out(result.stdout);
    if (result.stderr) err(result.stderr);
    return result.exit ?? 0;
  };
  const mine = (c) => c.Config.Labels?.['com.docker.compose.project'] === project;
  switch (command) {
    case 'version':
      out('Docker Compose version v2.29.0\n');
      return 0;
    case 'ps':
      for (const c of state.containers)
        if (mine(c) && (rest.includes('-a') || isRunning(c))) out(`${c.ID}\n`);
      return 0;
    case 'up': {
      const code = answer('up');
      // `up --no-recreate --scale`: new containers beside the ones there are.
      if (code === 0 && settings.addOnUp && rest.includes('--scale')) {
        state.containers = [...state.containers, ...settings.addOnUp];
        delete settings.addOnUp;
        save();
      }
      if (code === 0 && settings.afterUp) {
        state.containers = [...state.containers.filter((c) => !mine(c)), ...settings.afterUp];
        delete settings.afterUp;
        save();
      }
      return code;
    }
    case 'pull': {
      // A pull from a registry that wants a login answers as the engine does to a bad one.
      const server = settings.pullFrom;
      if (server && state.registry?.[server] !== authFor(server)) {
        err(
          authFor(server)
            ? `Error response from daemon: Head "https://${server}/v2/app/manifests/v1": unauthorized: authentication required\n`
            : `Error response from daemon: Head "https://${server}/v2/app/manifests/v1": no basic auth credentials\n`,
        );
        return 1;
      }
      return answer(command);
    }
    case 'run':
      // A client killed by a timeout leaves its container running: `runLeaves` is that one.
      if (settings.runLeaves) {
        state.containers.push(settings.runLeaves);
        save();
      }
      return answer(command);
    case 'config':
      return answer(command);
    default:
      err(`stub: compose ${command} is not stubbed\n`);
      return 1;
  }
}

function docker(list) {
  // `--` ends the options, as for the real CLI.
  const [command, ...rest] = list.filter((arg) => arg !== '--');
  const swarmAnswer = swarmCommand(command, rest, {
    stdin: () => readFileSync(0),
    state,
    out,
    err,
    format,
    option,
    save,
    authFor,
  });
  if (swarmAnswer !== undefined) return swarmAnswer;
  switch (command) {
    case 'compose':
      if (!state.composePlugin) {
        err("docker: 'compose' is not a docker command.\n");
        return 1;
      }
      return compose(rest);
    case 'inspect':
      return inspect(rest);
    case 'image':
      return rest[0] === 'inspect' ? imageInspect(rest.slice(1)) : 1;
    case 'images':
      return images(rest);
    case 'rmi':
      return rmi(rest);
    case 'tag':
      return tag(rest);
    case 'logs':
      return logs(rest);
    case 'login':
      return login(rest);
    case 'rm':
      return rm(rest);
    case 'ps':
      return ps(rest);
    case 'stop':
      return stopOrRemove(command, rest);
    default:
      err(`stub: docker ${command} is not stubbed\n`);
      return 1;
  }
}

process.exitCode = invokedAs === 'docker-compose' ? compose(args) : docker(args);
