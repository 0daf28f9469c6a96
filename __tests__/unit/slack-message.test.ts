import type { KnownBlock } from '@slack/types';
import { getRunContext } from '../../src/context.js';
import type { DeployReport, HostResult } from '../../src/types/report.js';
import { shouldNotify, type NotifyOn } from '../../src/notify/notify-on.js';
import { escapedTail, fitLines, truncate } from '../../src/notify/slack-blocks.js';
import {
  buildDeployingMessage,
  buildSlackMessage,
  escapeMrkdwn,
  formatDuration,
  type DeployStart,
  type SlackMessage,
} from '../../src/notify/slack-message.js';
import { buildReport } from '../../src/report/deploy-report.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const context = getRunContext({
  GITHUB_REPOSITORY: 'acme/monarch',
  GITHUB_SHA: SHA,
  GITHUB_ACTOR: 'octocat',
  GITHUB_TRIGGERING_ACTOR: 'hubot',
  GITHUB_RUN_ID: '4242',
  GITHUB_REF_NAME: 'main',
});
const RUN_URL = 'https://github.com/acme/monarch/actions/runs/4242';
const startedAt = new Date('2026-11-30T07:00:00Z');
const ok: HostResult = {
  host: '10.0.0.1',
  status: 'success',
  rolledBack: false,
  images: [],
  history: [],
  durationMs: 12_000,
};
const failed: HostResult = {
  host: '10.0.0.2',
  status: 'failure',
  failedStep: 'Pulling images',
  error: 'manifest for r/app:v9 not found <script>',
  rolledBack: false,
  images: [],
  history: [],
  durationMs: 3_000,
};

/** A report with a fixed duration (buildReport measures it from the clock). */
function report(
  hosts: HostResult[],
  extra: Partial<DeployReport> = {},
  targets = hosts.map((host) => host.host),
): DeployReport {
  return { ...buildReport(context, startedAt, targets, hosts), durationMs: 65_000, ...extra };
}

type AnyBlock = KnownBlock & {
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text: { text: string }; url: string }[];
};

function blocksOf(message: SlackMessage): AnyBlock[] {
  return message.blocks as AnyBlock[];
}

function fieldTexts(message: SlackMessage): string[] {
  return blocksOf(message).flatMap((block) => block.fields?.map((field) => field.text) ?? []);
}

/** Every limit of https://docs.slack.dev/reference/block-kit/blocks the builders promise. */
function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect(message.text.length).toBeLessThanOrEqual(3000);
  for (const block of blocksOf(message)) {
    if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'section') {
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    }
    for (const element of block.elements ?? []) {
      expect(element.text.text.length).toBeLessThanOrEqual(75);
      expect(element.url.length).toBeLessThanOrEqual(3000);
    }
  }
  // No lone surrogate: Slack refuses the whole message for one.
  expect(JSON.stringify(message)).not.toMatch(/\\ud[89a-f]/i);
}

describe('buildSlackMessage', () => {
  it('says what, where, which commit, who and when, with a button to the run', () => {
    const message = buildSlackMessage(report([ok]));
    expect(message.text).toBe(
      `Deployed: acme/monarch (success) on ✓ 10.0.0.1 — commit 0123456 by octocat (run by hubot) — ${RUN_URL}`,
    );
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':white_check_mark: Deployed: acme/monarch', emoji: true },
    });
    expect(fieldTexts(message)).toEqual([
      '*Repository*\n<https://github.com/acme/monarch|acme/monarch>',
      `*Commit*\n<https://github.com/acme/monarch/commit/${SHA}|0123456>`,
      '*Ref*\nmain',
      '*By*\noctocat (run by hubot)',
      '*Host*\n✓ 10.0.0.1',
      `*When*\n<!date^${startedAt.getTime() / 1000}^{date_short_pretty} {time}|2026-11-30T07:00:00.000Z> · took 1 min 5 s`,
    ]);
    expect(message.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'View workflow run' }, url: RUN_URL },
      ],
    });
    expect(message.blocks).toHaveLength(3);
  });

  it('names the environment, links it, and adds a button to its URL', () => {
    const message = buildSlackMessage(
      report([ok], { environment: 'production', environmentUrl: 'https://app.example.com/' }),
    );
    expect(blocksOf(message)[0].text!.text).toBe(
      ':white_check_mark: Deployed: acme/monarch to production',
    );
    expect(fieldTexts(message)).toContain('*Environment*\n<https://app.example.com/|production>');
    expect(
      blocksOf(message)
        .at(-1)!
        .elements!.map((e) => [e.text.text, e.url]),
    ).toEqual([
      ['View workflow run', RUN_URL],
      ['Open production', 'https://app.example.com/'],
    ]);
    expect(message.text).toContain('Deployed: acme/monarch to production (success)');
  });

  it('shows the first line of the commit message, escaped', () => {
    const withTitle = { ...context, commitTitle: 'Ship <!channel> & friends' };
    const message = buildSlackMessage({ ...report([ok]), context: withTitle });
    expect(fieldTexts(message)).toContain(
      `*Commit*\n<https://github.com/acme/monarch/commit/${SHA}|0123456> Ship &lt;!channel&gt; &amp; friends`,
    );
  });

  it('says only the actor when the triggering actor is the same', () => {
    const same = { ...context, triggeringActor: 'octocat' };
    expect(fieldTexts(buildSlackMessage({ ...report([ok]), context: same }))).toContain(
      '*By*\noctocat',
    );
  });

  it('on failure gives a line per host, the failed step and the error, escaped', () => {
    const message = buildSlackMessage(report([ok, failed]));
    expect(blocksOf(message)[0].text!.text).toBe(':x: Deploy failed: acme/monarch');
    const texts = blocksOf(message).map((block) => block.text?.text);
    expect(texts).toContain(
      '*Hosts*\n✓ 10.0.0.1: deployed in 12 s\n✗ 10.0.0.2: failed at Pulling images',
    );
    expect(texts).toContain(
      '*Failed at:* 10.0.0.2: Pulling images\n```manifest for r/app:v9 not found &lt;script&gt;```',
    );
    expect(fieldTexts(message).some((text) => text.startsWith('*Host*'))).toBe(false);
    expect(message.text).toContain(
      'Deploy failed: acme/monarch (failure) on ✓ 10.0.0.1, ✗ 10.0.0.2 — failed at 10.0.0.2: Pulling images',
    );
  });

  it('shows only the last lines of a long error, where the cause is', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`);
    const message = buildSlackMessage(report([{ ...failed, error: lines.join('\n') }]));
    const all = JSON.stringify(message);
    expect(all).toContain('line 31\\nline 32');
    expect(all).toContain('line 50```');
    expect(all).not.toContain('line 30\\n');
  });

  it('cannot be broken out of its code block by backquotes in the error', () => {
    const message = buildSlackMessage(report([{ ...failed, error: 'a ``` b' }]));
    expect(JSON.stringify(message)).toContain("```a ''' b```");
  });

  it('says rolled back when it was, per host too', () => {
    const back = { ...failed, failedStep: 'Checking health', rolledBack: true };
    const message = buildSlackMessage(report([ok, back]));
    expect(blocksOf(message)[0].text!.text).toBe(
      ':rewind: Deploy failed, rolled back: acme/monarch',
    );
    expect(JSON.stringify(message)).toContain('↩ 10.0.0.2: failed at Checking health, rolled back');
  });

  it('lists hosts a rolling deploy skipped and targets it never reached', () => {
    const skipped: HostResult = { ...ok, host: '10.0.0.3', status: 'skipped', durationMs: 0 };
    const message = buildSlackMessage(
      report([ok, failed, skipped], {}, ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']),
    );
    expect(blocksOf(message).map((block) => block.text?.text)).toContain(
      '*Hosts*\n✓ 10.0.0.1: deployed in 12 s\n✗ 10.0.0.2: failed at Pulling images\n' +
        '– 10.0.0.3: skipped (the rolling deploy stopped)\n– 10.0.0.4: not deployed',
    );
  });

  it('reports a run stopped by invalid input', () => {
    const message = buildSlackMessage({
      ...buildReport(context, startedAt, [], [], {
        step: 'Reading inputs',
        message: "Invalid input 'port': expected a whole number",
      }),
      durationMs: 0,
    });
    expect(message.text).toContain('Deploy failed: acme/monarch (failure) on no host');
    expect(JSON.stringify(message)).toContain(
      "*Failed at:* Reading inputs\\n```Invalid input 'port': expected a whole number```",
    );
  });

  it('says dry run when nothing was changed', () => {
    const message = buildSlackMessage(report([ok], { dryRun: true }));
    expect(blocksOf(message)[0].text!.text).toBe(':mag: Dry run passed: acme/monarch');
  });

  it('blanks out secrets an error quotes, whole or line by line', () => {
    const message = buildSlackMessage(
      report([{ ...failed, error: 'login failed: pa55-w0rd\nkey line two-of-it' }]),
      { secrets: ['pa55-w0rd', 'line one-of-it\nline two-of-it', ''] },
    );
    const all = JSON.stringify(message);
    expect(all).toContain('login failed: ***\\nkey ***');
    expect(all).not.toContain('pa55');
    expect(all).not.toContain('two-of-it');
  });

  it('blanks out secrets obtained during the run (a registry login) and their base64 forms', async () => {
    const { registerSecret, forgetSecrets } = await import('../../src/secrets.js');
    const { parseDockerConfig } = await import('../../src/registry/digitalocean.js');
    const auth = Buffer.from('dop-user-token:dop-password-token').toString('base64');
    parseDockerConfig(JSON.stringify({ auths: { 'registry.digitalocean.com': { auth } } }));
    registerSecret('runtime-secret');
    const error = `login dop-user-token:dop-password-token, auth ${auth}, b64 ${Buffer.from('runtime-secret').toString('base64')}, plain runtime-secret`;
    const all = JSON.stringify(buildSlackMessage(report([{ ...failed, error }])));
    forgetSecrets();
    expect(all).not.toMatch(/dop-|runtime-secret/);
    expect(all).not.toContain(auth);
    expect(all).not.toContain(Buffer.from('runtime-secret').toString('base64'));
  });

  it('works outside Actions, where the context is empty', () => {
    const empty = getRunContext({});
    const message = buildSlackMessage({ ...report([ok]), context: empty });
    expect(message.text).toBe(
      'Deployed: monarch-deploy (success) on ✓ 10.0.0.1 — commit unknown by unknown',
    );
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
    expectWithinSlackLimits(message);
  });

  it('stays inside every Slack limit, whatever the report holds', () => {
    const hosts = Array.from({ length: 400 }, (_, i): HostResult => ({
      ...failed,
      host: `droplet-${i}.example.com`,
      error: '😀'.repeat(3000) + '\nTHE CAUSE',
    }));
    const huge: DeployReport = {
      ...report(hosts),
      context: {
        ...context,
        repository: 'acme/' + 'r'.repeat(300),
        ref: 'x'.repeat(5000),
        actor: 'a'.repeat(3000),
        commitTitle: '<'.repeat(5000),
      },
      failedStep: 's'.repeat(4000),
      error: '😀'.repeat(3000) + '\nTHE CAUSE',
      environment: 'e'.repeat(500),
      environmentUrl: 'https://app.example.com/' + 'p'.repeat(3000),
    };
    const message = buildSlackMessage(huge);
    expectWithinSlackLimits(message);
    const hostsText = blocksOf(message).find((b) => b.text?.text.startsWith('*Hosts*'))!.text!.text;
    expect(hostsText).toMatch(/\n… and \d+ more$/);
    expect(JSON.stringify(message)).toContain('THE CAUSE```');
    // A URL is dropped rather than cut: a cut URL is a broken link.
    expect(JSON.stringify(message)).not.toContain('pppp');
  });

  it('keeps the end of a huge error', () => {
    const message = buildSlackMessage(
      report([{ ...failed, error: 'x'.repeat(10_000) + 'THE CAUSE' }]),
    );
    expectWithinSlackLimits(message);
    expect(JSON.stringify(message)).toContain('THE CAUSE```');
  });

  it('leaves out a button whose URL is not http(s)', () => {
    const message = buildSlackMessage(
      report([ok], { environment: 'prod', environmentUrl: 'javascript:alert(1)' }),
    );
    expect(JSON.stringify(message)).not.toContain('javascript:');
    expect(fieldTexts(message)).toContain('*Environment*\nprod');
  });
});

describe('buildDeployingMessage', () => {
  const start: DeployStart = {
    context,
    targets: ['10.0.0.1', '10.0.0.2'],
    startedAt,
    environment: 'staging',
    environmentUrl: 'https://staging.example.com',
  };

  it('says what is being deployed where, by whom, since when', () => {
    const message = buildDeployingMessage(start);
    expect(message.text).toBe(
      `Deploying: acme/monarch to staging on 10.0.0.1, 10.0.0.2 — commit 0123456 by octocat (run by hubot) — ${RUN_URL}`,
    );
    expect(blocksOf(message)[0].text!.text).toBe(':rocket: Deploying: acme/monarch to staging');
    expect(fieldTexts(message)).toEqual([
      '*Repository*\n<https://github.com/acme/monarch|acme/monarch>',
      '*Environment*\n<https://staging.example.com|staging>',
      `*Commit*\n<https://github.com/acme/monarch/commit/${SHA}|0123456>`,
      '*Ref*\nmain',
      '*By*\noctocat (run by hubot)',
      '*Hosts*\n10.0.0.1\n10.0.0.2',
      `*Started*\n<!date^${startedAt.getTime() / 1000}^{date_short_pretty} {time}|2026-11-30T07:00:00.000Z>`,
    ]);
    expect(
      blocksOf(message)
        .at(-1)!
        .elements!.map((e) => e.text.text),
    ).toEqual(['View workflow run', 'Open staging']);
    expectWithinSlackLimits(message);
  });

  it('stays inside the limits with a thousand hosts', () => {
    const targets = Array.from({ length: 1000 }, (_, i) => `droplet-${i}.example.com`);
    const message = buildDeployingMessage({ ...start, targets });
    expectWithinSlackLimits(message);
    expect(fieldTexts(message).find((text) => text.startsWith('*Hosts*'))).toMatch(
      /\ndroplet-\d+\.example\.com\n… and \d+ more$/,
    );
  });
});

describe('text helpers', () => {
  it('escapes what could form links or mentions', () => {
    expect(escapeMrkdwn('<!here> a&b <http://x|y>')).toBe(
      '&lt;!here&gt; a&amp;b &lt;http://x|y&gt;',
    );
  });

  it('never cuts an escape or a surrogate pair', () => {
    expect(escapedTail('<'.repeat(5000), 3000)).toMatch(/^…(&lt;)+$/);
    expect(escapedTail('<'.repeat(5000), 3000).length).toBeLessThanOrEqual(3000);
    expect(truncate('&amp;&amp;&amp;', 8)).toBe('&amp;…');
    expect(truncate('a😀😀', 3)).toBe('a…');
    expect(escapedTail('😀😀😀', 4)).toBe('…😀');
  });

  it('cuts a list between lines and says how many were left out', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `host-${i}`);
    expect(fitLines(lines, 100)).toBe(lines.join('\n'));
    expect(fitLines(lines, 40)).toBe('host-0\nhost-1\nhost-2\nhost-3\n… and 6 more');
    expect(fitLines(lines, 39)).toBe('host-0\nhost-1\nhost-2\n… and 7 more');
  });

  it('formats durations the way people say them', () => {
    expect([0, 42_400, 60_000, 65_000, 3_600_000].map(formatDuration)).toEqual([
      '0 s',
      '42 s',
      '1 min',
      '1 min 5 s',
      '60 min',
    ]);
  });
});

describe('shouldNotify', () => {
  it.each<[NotifyOn, boolean, boolean]>([
    ['always', true, true],
    ['failure', false, true],
    ['success', true, false],
    ['never', false, false],
  ])('notify-on %s: success %s, failure %s', (notifyOn, onSuccess, onFailure) => {
    expect(shouldNotify(notifyOn, 'success')).toBe(onSuccess);
    expect(shouldNotify(notifyOn, 'failure')).toBe(onFailure);
  });
});
