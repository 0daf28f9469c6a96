import { getRunContext } from '../../src/context.js';
import { buildSlackMessage } from '../../src/notify/slack-message.js';
import { buildReport } from '../../src/report/deploy-report.js';
import type { HostResult } from '../../src/deploy/deploy-host.js';

const context = getRunContext({
  GITHUB_REPOSITORY: 'acme/monarch',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_ACTOR: 'octocat',
  GITHUB_TRIGGERING_ACTOR: 'hubot',
  GITHUB_RUN_ID: '4242',
  GITHUB_REF_NAME: 'main',
});
const startedAt = new Date('2026-11-30T07:00:00Z');
const ok: HostResult = {
  host: '10.0.0.1',
  status: 'success',
  rolledBack: false,
  images: [],
  durationMs: 12_000,
};
const failed: HostResult = {
  host: '10.0.0.2',
  status: 'failure',
  failedStep: 'Pulling images',
  error: 'manifest for r/app:v9 not found <script>',
  rolledBack: false,
  images: [],
  durationMs: 3_000,
};

describe('buildSlackMessage', () => {
  it('says who, what, when, where, with links to the commit and the run', () => {
    const message = buildSlackMessage(buildReport(context, startedAt, ['10.0.0.1'], [ok]));
    const all = JSON.stringify(message);
    expect(message.text).toContain('Deployed: acme/monarch (success) on ✓ 10.0.0.1');
    expect(all).toContain(
      '<https://github.com/acme/monarch/commit/0123456789abcdef0123456789abcdef01234567|0123456>',
    );
    expect(all).toContain('octocat (run by hubot)');
    expect(all).toContain(`<!date^${startedAt.getTime() / 1000}^`);
    expect(all).toContain('2026-11-30T07:00:00.000Z');
    expect(message.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'View workflow run' },
          url: 'https://github.com/acme/monarch/actions/runs/4242',
        },
      ],
    });
  });

  it('on failure names the step and the error, escaped for mrkdwn', () => {
    const message = buildSlackMessage(
      buildReport(context, startedAt, ['10.0.0.1', '10.0.0.2'], [ok, failed]),
    );
    const all = JSON.stringify(message);
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: ':x: Deploy failed: acme/monarch' },
    });
    expect(all).toContain('*Failed at:* 10.0.0.2: Pulling images');
    expect(all).toContain('manifest for r/app:v9 not found &lt;script&gt;');
  });

  it('says rolled back when it was', () => {
    const message = buildSlackMessage(
      buildReport(context, startedAt, ['h'], [{ ...failed, rolledBack: true }]),
    );
    expect(message.blocks[0]).toMatchObject({
      text: { text: ':rewind: Deploy failed, rolled back: acme/monarch' },
    });
  });

  it('reports a run stopped by invalid input', () => {
    const message = buildSlackMessage(
      buildReport(context, startedAt, [], [], {
        step: 'Reading inputs',
        message: "Invalid input 'port': expected a whole number",
      }),
    );
    expect(message.text).toContain('(failure)');
    expect(JSON.stringify(message)).toContain("Invalid input 'port'");
  });

  it('stays inside Slack limits with a huge error', () => {
    const message = buildSlackMessage(
      buildReport(context, startedAt, ['h'], [{ ...failed, error: 'x'.repeat(10_000) }]),
    );
    for (const block of message.blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(block.type === 'header' ? 150 : 3000);
    }
  });
});
