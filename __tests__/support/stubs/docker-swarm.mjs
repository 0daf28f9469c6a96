// The Swarm side of the docker stub (docker.mjs): `info`, `node ls`, `service ls/inspect/ps/
// rollback/rm`, `stack deploy` and `pull`, answered from `state.swarm` (see
// __tests__/support/host-sandbox.ts, `StubSwarm`). A service moves through its `frames` (what
// it reports, call after call): each `service ls` that asks for `.Replicas` (the wait's first
// call each second) moves every service one frame on; the last frame stays.

/** The frame each service is at. */
function frameOf(swarm, service) {
  const frames = service.frames ?? [{}];
  return frames[Math.min(Math.max(0, (swarm.ticks ?? 0) - 1), frames.length - 1)];
}

function filtersOf(list) {
  return list.flatMap((arg, i) => (list[i - 1] === '--filter' ? [arg] : []));
}

/** A call that fails while `failNext[name]` says so (a manager electing its leader). */
function failing(swarm, name, io) {
  const left = swarm.failNext?.[name] ?? 0;
  if (left <= 0) return false;
  swarm.failNext[name] = left - 1;
  io.err(
    'Error response from daemon: rpc error: code = Unknown desc = context deadline exceeded\n',
  );
  return true;
}

function findService(swarm, name) {
  return swarm.services.find((service) => service.name === name);
}

function serviceLs(swarm, list, io) {
  const template = io.option(list, ['--format']) ?? '{{.Name}}';
  if (template.includes('.Replicas')) swarm.ticks = (swarm.ticks ?? 0) + 1;
  if (failing(swarm, 'service ls', io)) return 1;
  const quiet = list.includes('-q');
  const label = filtersOf(list).find((f) => f.startsWith('label=com.docker.stack.namespace='));
  const stack = label?.split('=')[2];
  for (const service of swarm.services) {
    if (stack && !service.name.startsWith(`${stack}_`)) continue;
    const frame = frameOf(swarm, service);
    io.out(
      quiet
        ? `${service.name}\n`
        : io.format(template, { Name: service.name, Replicas: frame.replicas ?? '1/1' }),
    );
  }
  return 0;
}

function serviceInspect(swarm, list, io) {
  const template = io.option(list, ['--format', '-f']);
  if (failing(swarm, 'service inspect', io)) return 1;
  const names = list.filter((a) => !a.startsWith('-'));
  let code = 0;
  for (const name of names) {
    const service = findService(swarm, name);
    if (!service) {
      io.err(`Error: no such service: ${name}\n`);
      code = 1;
      continue;
    }
    const frame = frameOf(swarm, service);
    const state = frame.state ?? 'none';
    const dot = {
      Spec: { Name: name, ...service.spec },
      UpdateStatus: state === 'none' ? null : { State: state, Message: frame.message ?? '' },
    };
    io.out(io.format(template, dot));
  }
  return code;
}

function servicePs(swarm, list, io) {
  const template = io.option(list, ['--format']);
  if (failing(swarm, 'service ps', io)) return 1;
  const filters = filtersOf(list);
  const desired = filters.find((f) => f.startsWith('desired-state='))?.split('=')[1];
  const upToDate = filters.includes('_up-to-date=true');
  const names = list.filter((arg, i) => !arg.startsWith('-') && list[i - 1] !== '--filter');
  for (const name of names) {
    const service = findService(swarm, name);
    if (!service) {
      io.err(`no such service: ${name}\n`);
      return 1;
    }
    for (const task of frameOf(swarm, service).tasks ?? []) {
      if (desired && (task.DesiredState ?? 'running') !== desired) continue;
      if (upToDate && task.UpToDate === false) continue;
      io.out(io.format(template, { Node: '', Error: '', ...task }));
    }
  }
  return 0;
}

function service(swarm, [command, ...list], io) {
  switch (command) {
    case 'ls':
      return serviceLs(swarm, list, io);
    case 'inspect':
      return serviceInspect(swarm, list, io);
    case 'ps':
      return servicePs(swarm, list, io);
    case 'rollback': {
      const found = findService(swarm, list.filter((a) => !a.startsWith('-'))[0]);
      if (!found) return 1;
      [found.spec, found.previousSpec] = [found.previousSpec ?? found.spec, found.spec];
      found.frames = found.rollbackFrames ?? [{ state: 'rollback_completed', replicas: '1/1' }];
      return 0;
    }
    case 'rm': {
      const name = list.filter((a) => !a.startsWith('-'))[0];
      if (!findService(swarm, name)) return 1;
      swarm.services = swarm.services.filter((s) => s.name !== name);
      io.out(`${name}\n`);
      return 0;
    }
    default:
      io.err(`stub: docker service ${command} is not stubbed\n`);
      return 1;
  }
}

function stackDeploy(swarm, io) {
  const after = swarm.afterDeploy ?? {};
  if (after.stderr) io.err(after.stderr);
  if (after.exit) return after.exit;
  for (const next of after.services ?? []) {
    const old = findService(swarm, next.name);
    swarm.services = swarm.services.filter((s) => s.name !== next.name);
    swarm.services.push({ previousSpec: old?.spec, ...next });
    io.out(`${old ? 'Updating' : 'Creating'} service ${next.name} (id: stub)\n`);
  }
  swarm.ticks = 0;
  delete swarm.afterDeploy;
  return 0;
}

/** The config `ref` names: by its ID, else by its name. */
function findConfig(swarm, ref) {
  const byId = Object.entries(swarm.configs).find(([, c]) => c.ID === ref);
  return byId ?? (swarm.configs[ref] ? [ref, swarm.configs[ref]] : undefined);
}

/**
 * `config create NAME -` (data on stdin), `config inspect`, `config rm` (by name or ID): the
 * swarm's configs, each with an ID of its own that is never reused. `swarm.beforeConfigRm`
 * (once) stands for another run acting first: the config of that name is replaced by the one
 * given (a run that took a stale lease over) before the removal is answered.
 */
function config(swarm, [command, ...list], io) {
  swarm.configs = swarm.configs ?? {};
  const labels = {};
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '--label') {
      const [key, value] = list[i + 1].split(/=(.*)/s);
      labels[key] = value ?? '';
      list.splice(i, 2);
      i--;
    }
  }
  const template = io.option(list, ['--format', '-f']);
  const [name] = list.filter((a) => a !== '-');
  const newId = () => `cfg${(swarm.configSerial = (swarm.configSerial ?? 0) + 1)}x`;
  for (const c of Object.values(swarm.configs)) c.ID = c.ID ?? newId();
  switch (command) {
    case 'create':
      if (swarm.configs[name]) {
        io.err(
          `Error response from daemon: rpc error: code = AlreadyExists desc = config ${name} already exists\n`,
        );
        return 1;
      }
      swarm.configs[name] = { ID: newId(), Labels: labels, Data: io.stdin().toString('base64') };
      io.out(`${swarm.configs[name].ID}\n`);
      return 0;
    case 'inspect': {
      const found = findConfig(swarm, name);
      if (!found) {
        io.err(`Error: no such config: ${name}\n`);
        return 1;
      }
      const [key, c] = found;
      io.out(
        io.format(template, { ID: c.ID, Spec: { Name: key, Labels: c.Labels, Data: c.Data } }),
      );
      return 0;
    }
    case 'rm': {
      const race = swarm.beforeConfigRm;
      if (race) {
        delete swarm.beforeConfigRm;
        swarm.configs[race.name] = { ...race.config, ID: newId() };
      }
      const found = findConfig(swarm, name);
      if (!found) {
        io.err(`Error: no such config: ${name}\n`);
        return 1;
      }
      delete swarm.configs[found[0]];
      return 0;
    }
    default:
      return 1;
  }
}

/** Answers a Swarm command; undefined when `command` is none of them. */
export function swarmCommand(command, list, io) {
  const swarm = io.state.swarm;
  if (!swarm) return undefined;
  const run = () => {
    switch (command) {
      case 'info': {
        const node = swarm.node ?? {};
        const dot = {
          Swarm: { LocalNodeState: node.state ?? 'active', ControlAvailable: node.control ?? true },
        };
        io.out(io.format(io.option(list, ['--format', '-f']), dot));
        return 0;
      }
      case 'node':
        if (swarm.node?.quorum === false) {
          io.err(
            'Error response from daemon: rpc error: code = Unknown desc = The swarm does not have a leader.\n',
          );
          return 1;
        }
        for (const node of swarm.nodes ?? [])
          io.out(
            list.includes('-q')
              ? `${node.Hostname}\n`
              : io.format(io.option(list.slice(1), ['--format']), node),
          );
        return 0;
      case 'service':
        return service(swarm, list, io);
      case 'stack':
        return stackDeploy(swarm, io);
      case 'config':
        return config(swarm, list, io);
      case 'pull': {
        const image = list.filter((a) => !a.startsWith('-'))[0];
        if ((swarm.missing ?? []).includes(image)) {
          io.err(`Error response from daemon: manifest for ${image} not found: manifest unknown\n`);
          return 1;
        }
        const server = image.split('/')[0];
        if (io.state.registry?.[server] && io.state.registry[server] !== io.authFor(server)) {
          io.err(
            `Error response from daemon: Head "https://${server}/v2/": unauthorized: authentication required\n`,
          );
          return 1;
        }
        return 0;
      }
      default:
        return undefined;
    }
  };
  const code = run();
  if (code !== undefined) io.save();
  return code;
}
