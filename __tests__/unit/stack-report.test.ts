/** What a stack's deploy reports: the manager's replies read, Slack's stack line, the summary. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getRunContext } from '../../src/context.js';
import { CONVERGE_REPLIES } from '../../src/host-scripts/swarm-converge.js';
import { stackImages, stackServicesOf } from '../../src/deploy/stack-report.js';
import { buildSlackMessage } from '../../src/notify/slack-message.js';
import { buildReport } from '../../src/report/deploy-report.js';
import { writeSummary } from '../../src/report/summary.js';
import type { HostResult } from '../../src/types/report.js';

const { replicas, image, task } = CONVERGE_REPLIES;
const REPLIES = [
  `${replicas}=shop_web 3/2`,
  `${replicas}=shop_worker 1/1`,
  `${image}=shop_web registry.example.com/app:v2@sha256:abc`,
  `${image}=shop_worker registry.example.com/app:v2`,
  `${task}=shop_web.1 droplet2`,
  `${task}=shop_web.2 droplet2`,
  `${task}=shop_worker.1 droplet1`,
].join('\n');

describe('stackServicesOf', () => {
  it('counts what runs from the tasks, not from `service ls` (3/2 while a node is down)', () => {
    expect(stackServicesOf(REPLIES)).toEqual([
      {
        name: 'shop_web',
        running: 2,
        desired: 2,
        image: 'registry.example.com/app:v2',
        digest: 'sha256:abc',
        nodes: ['droplet2'],
      },
      {
        name: 'shop_worker',
        running: 1,
        desired: 1,
        image: 'registry.example.com/app:v2',
        digest: '',
        nodes: ['droplet1'],
      },
    ]);
  });

  it('gives the image list a digest reference where there is one', () => {
    expect(stackImages(stackServicesOf(REPLIES)).map((image) => image.digest)).toEqual([
      'registry.example.com/app@sha256:abc',
      '',
    ]);
  });
});

const manager: HostResult = {
  host: 'm1',
  status: 'success',
  rolledBack: false,
  images: [],
  history: [],
  durationMs: 3_000,
  stack: { name: 'shop', services: stackServicesOf(REPLIES) },
};
const context = getRunContext({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'c0ffee' });

describe('the report of a stack', () => {
  const report = {
    ...buildReport(context, new Date(), ['m1', 'm2'], [manager]),
    stack: { name: 'shop', services: 2 },
  };

  it('Slack: the stack, its service count and tasks; the standby manager is not a missed host', () => {
    const text = JSON.stringify(buildSlackMessage(report).blocks);
    expect(text).toContain('shop · 2 services, 3/3 tasks running');
    expect(text).not.toContain('not deployed');
  });

  it('the job summary: per service its replicas, nodes, image and digest, HTML-escaped', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'monarch-summary-')), 'summary.md');
    process.env.GITHUB_STEP_SUMMARY = file;
    writeFileSync(file, '');
    try {
      await writeSummary(report);
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h3>Stack shop (manager m1)</h3>');
    expect(html).toContain(
      '<td>shop_web</td><td>2/2</td><td>droplet2</td><td><code>registry.example.com/app:v2</code><br><code>sha256:abc</code></td>',
    );
  });
});
