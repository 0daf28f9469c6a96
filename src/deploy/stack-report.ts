/** What the manager reports of a stack (see `reportStack`), as the report types hold it. */
import { Replies } from '../host-scripts/protocol.js';
import type { RunningImage, StackServiceReport } from '../types/report.js';

/**
 * The services of the `replicas=`, `image=` and `task=` replies, by name. What runs is counted
 * from the tasks that should run and do: `service ls` also counts a task Swarm has given up on,
 * on a node that is down, which still reads `Running` (`3/2`).
 */
export function stackServicesOf(replies: Replies): StackServiceReport[] {
  const images = new Map(replies.all('image').map((line) => splitFirst(line)));
  const tasks = new Map<string, string[]>();
  for (const line of replies.all('task')) {
    const [task, node] = splitFirst(line);
    const service = task.replace(/\.[^.]*$/, '');
    tasks.set(service, [...(tasks.get(service) ?? []), node]);
  }
  return replies.all('replicas').map((line) => {
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
