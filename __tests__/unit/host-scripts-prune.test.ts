/** Pruning a project's old images without touching what runs, what a rollback needs, or others'. */
import { writeFileSync } from 'node:fs';
import { layoutOf } from '../../src/host-scripts/layout.js';
import { readReplies } from '../../src/host-scripts/protocol.js';
import { PRUNE_REPLIES, pruneImages } from '../../src/host-scripts/prune.js';
import { call } from '../../src/host-scripts/script.js';
import { composeContainer, HostSandbox, stubImage, testShells } from '../support/host-sandbox.js';

const REPO = 'registry.example.com/app';
const v1 = stubImage('v1', [`${REPO}:v1`]);
const v2 = stubImage('v2', [`${REPO}:v2`, `${REPO}:latest`]);
const v3 = stubImage('v3', [`${REPO}:v3`]);
const older = stubImage('v0', [`${REPO}:v0`]);
const dangling = stubImage('dangling', []);
const other = stubImage('other', ['other-project/keep:1']);
const otherOld = stubImage('other-old', ['other-project/keep:0']);

describe.each(testShells())('pruneImages under $name sh', (shell) => {
  const setUp = (previous: string | null) => {
    const running = composeContainer('monarch', 'web', v3);
    const host = new HostSandbox(shell, {
      containers: [running, composeContainer('other', 'web', other)],
      images: [older, v1, v2, v3, dangling, other, otherOld],
    });
    const layout = layoutOf(host.appDir, 'run-1');
    host.writeAppFile('.monarch/.keep', '');
    if (previous !== null) writeFileSync(layout.rollbackImages, previous);
    return { host, layout, running };
  };
  const remaining = (host: HostSandbox) =>
    host
      .state()
      .images.flatMap((image) => image.RepoTags)
      .sort();

  it("removes only this project's unused images, keeping what runs and the previous release's", () => {
    const { host, layout, running } = setUp(`${REPO}:v2 ${v2.ID}\n`);
    const run = host.run(call(pruneImages(layout), [running.ID]));
    expect(run.code).toBe(0);
    expect(readReplies(run.stdout, PRUNE_REPLIES).get(PRUNE_REPLIES.removed)).toBe('2');
    expect(remaining(host)).toEqual(
      [
        `${REPO}:latest`,
        `${REPO}:v2`,
        `${REPO}:v3`,
        'other-project/keep:0',
        'other-project/keep:1',
      ].sort(),
    );
  });

  it('reads a digest reference of the previous release as its repository', () => {
    const { host, layout, running } = setUp(`${REPO}@sha256:${'a'.repeat(64)} ${v1.ID}\n`);
    host.run(call(pruneImages(layout), [running.ID]));
    expect(remaining(host)).toContain(`${REPO}:v1`);
    expect(remaining(host)).not.toContain(`${REPO}:v2`);
  });

  it('without a previous release, keeps only what runs', () => {
    const { host, layout, running } = setUp(null);
    const run = host.run(call(pruneImages(layout), [running.ID]));
    expect(readReplies(run.stdout, PRUNE_REPLIES).get(PRUNE_REPLIES.removed)).toBe('3');
    expect(remaining(host).filter((tag) => tag.startsWith(REPO))).toEqual([`${REPO}:v3`]);
  });

  it('never asks for a host-wide prune', () => {
    const { host, layout, running } = setUp(null);
    host.run(call(pruneImages(layout), [running.ID]));
    expect(host.callsOf('docker', 'image', 'prune')).toEqual([]);
    expect(host.callsOf('docker', 'system')).toEqual([]);
  });
});
