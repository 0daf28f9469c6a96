/** What the manager reports of a stack (see `reportStack`), as the report types hold it. */
import { Replies } from '../host-scripts/protocol.js';
import type { RunningImage, StackServiceReport } from '../types/report.js';

/** The services of the `replicas=`, `image=` and `task=` replies, by name. */
export function stackServicesOf(replies: Replies): StackServiceReport[] {
  const images = new Map(replies.all('image').map((line) => splitFirst(line)));
  const nodes = new Map<string, Set<string>>();
  for (const line of replies.all('task')) {
    const [task, node] = splitFirst(line);
    const service = task.replace(/\.[^.]*$/, '');
    nodes.set(service, (nodes.get(service) ?? new Set()).add(node));
  }
  return replies.all('replicas').map((line) => {
    const [name, counts] = splitFirst(line);
    const [running = 0, desired = 0] = counts
      .split(' ')[0]
      .split('/')
      .map((n) => Number(n) || 0);
    const [image = '', digest = ''] = (images.get(name) ?? '').split('@');
    return { name, running, desired, image, digest, nodes: [...(nodes.get(name) ?? [])].sort() };
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
