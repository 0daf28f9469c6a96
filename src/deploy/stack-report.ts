/** What the manager reports of a stack (see `reportStack`), as the report types hold it. */
import { readReplies } from '../host-scripts/protocol.js';
import { CONVERGE_REPLIES } from '../host-scripts/swarm-converge.js';
import type { RunningImage, StackServiceReport } from '../types/report.js';

/**
 * The services of the `replicas=`, `image=` and `task=` replies in `stdout`, by name. What runs is counted
 * from the tasks that should run and do: `service ls` also counts a task Swarm has given up on,
 * on a node that is down, which still reads `Running` (`3/2`).
 */
export function stackServicesOf(stdout: string): StackServiceReport[] {
  const replies = readReplies(stdout, CONVERGE_REPLIES);
  const images = new Map(replies.all(CONVERGE_REPLIES.image).map((line) => splitFirst(line)));
  const tasks = new Map<string, string[]>();
  for (const line of replies.all(CONVERGE_REPLIES.task)) {
    const [task, node] = splitFirst(line);
    const service = task.replace(/\.[^.]*$/, '');
    tasks.set(service, [...(tasks.get(service) ?? []), node]);
  }
  return replies.all(CONVERGE_REPLIES.replicas).map((line) => {
    const [name, counts] = splitFirst(line);
    const desired = Number(counts.split(' ')[0].split('/')[1]) || 0;
    const [image = '', digest = ''] = (images.get(name) ?? '').split('@');
    const nodes = tasks.get(name) ?? [];
    return {
      name,
      running: nodes.length,
      desired,
      image,
      digest,
      nodes: [...new Set(nodes)].sort(),
    };
  });
}

/** The services as the image list of a host's result (one entry per service). */
export function stackImages(services: readonly StackServiceReport[]): RunningImage[] {
  return services.map((service) => ({
    service: service.name,
    image: service.image,
    id: '',
    digest: service.digest ? `${service.image.replace(/:[^:/]*$/, '')}@${service.digest}` : '',
  }));
}

function splitFirst(line: string): [string, string] {
  const at = line.indexOf(' ');
  return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
}

/** What a stack's deploy did, as `stepReport` reads it. */
export interface StackOutcome {
  readonly stack?: { readonly services: readonly StackServiceReport[] };
  readonly stackChanges?: Readonly<Record<'created' | 'updated' | 'removed', readonly string[]>>;
}

/** Logs which services the deploy created, updated and removed, and any image not pinned. */
export function logStackOutcome(
  outcome: StackOutcome,
  log: { info(text: string): void; warning(text: string): void },
): void {
  const changes = outcome.stackChanges;
  if (changes) {
    const list = (names: readonly string[]) => names.join(', ') || 'none';
    log.info(
      `services created: ${list(changes.created)}; updated: ${list(changes.updated)}; removed (no longer in the file): ${list(changes.removed)}`,
    );
  }
  for (const service of outcome.stack?.services ?? []) {
    // docker stack deploy pins the digest only when its login could read the registry.
    if (!service.digest) {
      log.warning(
        `${service.name}: its image ${service.image} was not resolved to a digest in the registry (did the login reach docker stack deploy?): each node pulls the tag itself, and may get another image`,
      );
    }
  }
}
