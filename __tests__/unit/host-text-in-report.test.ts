/**
 * Text from the host in the run's report, escaped for where it goes: a history line planted
 * with newlines, HTML and a Markdown link stays inside its table cell of the job summary, and
 * a container's output in the health failure's message has its control characters escaped.
 */
import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureStdout } from '../support/capture.js';
import { getRunContext } from '../../src/context.js';
import { deployHost } from '../../src/deploy/deploy-host.js';
import { historyEntry, historyOf } from '../../src/deploy/history-entries.js';
import { streamingLog } from '../../src/deploy/host-log.js';
import { HISTORY_REPLIES } from '../../src/host-scripts/history.js';
import { getInputs } from '../../src/inputs/index.js';
import { buildReport } from '../../src/report/deploy-report.js';
import { writeSummary } from '../../src/report/summary.js';
import { inlineHtml } from '../../src/report/summary-text.js';
import type { HistoryEntry, HostResult } from '../../src/types/report.js';
import { FakeHost } from '../support/fake-host.js';
import { makeWorkspace, reader } from '../support/inputs.js';
import { makeKey } from '../support/keys.js';
import { DETECT_REPLIES, MARKER_REPLIES } from '../../src/host-scripts/prepare.js';
import { KEEP_REPLIES } from '../../src/host-scripts/release.js';

/** What an attacker on the droplet writes into the history's fields. */
const PLANTED =
  '\n\n[click](https://attacker.example/x) <b>bold</b> ![i](https://attacker.example/i.png)\r\u2028end';

beforeEach(() => captureStdout(() => undefined));
afterEach(() => jest.restoreAllMocks());

describe('inlineHtml', () => {
  it.each([
    ['plain text', 'octocat', 'octocat'],
    ['HTML', '<img src=x onerror="a(1)">', '&lt;img src=x onerror=&quot;a&#40;1&#41;&quot;&gt;'],
    ['a Markdown link', '[click](https://e.example)', '&#91;click&#93;&#40;https://e.example&#41;'],
    ['an image', '![i](u)', '&#33;&#91;i&#93;&#40;u&#41;'],
    ['line breaks and controls', 'a\n\nb\r\u2028c\u0007', 'a\\n\\nb\\r\\u2028c\\x07'],
    ['a reference already escaped', '&#91;', '&amp;#91;'],
  ])('%s', (_what, text, expected) => expect(inlineHtml(text)).toBe(expected));

  it('cuts a long value, never inside a character', () => {
    expect(inlineHtml('🙂'.repeat(300))).toBe(`${'🙂'.repeat(199)}…`);
    expect(inlineHtml('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('the history read back', () => {
  const line = (fields: Record<string, unknown>) =>
    `${HISTORY_REPLIES.history}=${JSON.stringify(fields)}`;

  it('keeps entries, every text on one line and cut; drops what is not an entry', () => {
    const stdout = [
      line({
        time: 't1',
        commit: 'c0ffee',
        actor: PLANTED,
        result: 'success',
        rolledBack: false,
        run: 'u',
      }),
      line({
        time: 't2',
        commit: { toString: 1 },
        actor: 7,
        result: 'failure',
        rolledBack: 'yes',
      }),
      line({ time: 't3', result: 'pwned' }),
      `${HISTORY_REPLIES.history}=[1,2]`,
      `${HISTORY_REPLIES.history}=not json`,
      line({ time: 't4', actor: 'x'.repeat(5000), result: 'success' }),
    ].join('\n');
    const entries = historyOf(stdout);
    expect(entries.map((entry) => entry.time)).toEqual(['t1', 't2', 't4']);
    expect(entries[0].actor).not.toMatch(/[\n\r\u2028]/);
    expect(entries[0].actor).toContain('\\n\\n[click]');
    expect(entries[1]).toEqual({
      time: 't2',
      commit: '',
      actor: '7',
      result: 'failure',
      rolledBack: false,
      run: '',
    });
    expect(entries[2].actor).toHaveLength(300);
    expect(historyEntry(null)).toBeUndefined();
  });
});

describe('the job summary', () => {
  const context = getRunContext({ GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'c0ffee' });
  const planted: HistoryEntry = {
    time: PLANTED,
    commit: `${PLANTED}abc`,
    actor: PLANTED,
    result: 'success',
    rolledBack: false,
    run: PLANTED,
  };
  const host: HostResult = {
    host: 'droplet',
    status: 'success',
    rolledBack: false,
    images: [{ service: PLANTED, image: PLANTED, id: 'sha256:a', digest: PLANTED }],
    // Raw, as an entry reaches the summary without history-entries.ts.
    history: [planted],
    durationMs: 1_000,
  };

  async function summaryOf(hosts: HostResult[]): Promise<string> {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'monarch-summary-')), 'summary.md');
    writeFileSync(file, '');
    process.env.GITHUB_STEP_SUMMARY = file;
    try {
      await writeSummary(buildReport(context, new Date(), ['droplet'], hosts));
    } finally {
      delete process.env.GITHUB_STEP_SUMMARY;
    }
    return readFileSync(file, 'utf8');
  }

  it('keeps each table on one line, with no live link, image or tag from the host', async () => {
    const summary = await summaryOf([host]);
    const tables = summary.split('\n').filter((line) => line.startsWith('<table>'));
    expect(tables).toHaveLength(2);
    for (const table of tables) expect(table).toMatch(/^<table>.*<\/table>$/);
    // Every line but the run's facts (from the runner) is an HTML block of its own.
    const markdown = summary
      .split('\n')
      .filter((line) => line && !/^<(h\d|p|table|pre)>/.test(line));
    expect(markdown).toEqual([expect.stringMatching(/^Commit <code>c0ffee<\/code> by unknown, /)]);
    expect(summary).not.toMatch(/\]\(|<b>|<img|\r|\u2028/);
    expect(summary).toContain(
      '\\n\\n&#91;click&#93;&#40;https://attacker.example/x&#41; &lt;b&gt;bold&lt;/b&gt;',
    );
  });
});

describe('a health failure', () => {
  const key = makeKey('ed25519');
  it('shows the container output with its control characters escaped', async () => {
    const stderr =
      'service web exited with code 3; its last log lines:\n  before a lone CR\r::error::forged\u001b[31m\n  ##[add-mask]x';
    const host = new FakeHost()
      .answer('Waiting for the droplet', {
        stdout: `${MARKER_REPLIES.waited}=0\n${DETECT_REPLIES.user}=deploy\n${DETECT_REPLIES.compose}=docker compose\n`,
      })
      .answer('Uploading the release, pulling images', { stdout: `${KEEP_REPLIES.previous}=no\n` })
      .answer('Starting containers', { code: 93, stderr });
    const inputs = await getInputs(
      reader({
        host: 'droplet',
        'ssh-private-key': key.privateKey,
        'host-fingerprint': key.fingerprint,
      }),
      makeWorkspace(),
    );
    const result = await deployHost('droplet', inputs, {
      connect: async () => host,
      log: streamingLog('droplet'),
      identity: { runId: 'run-1', actor: 'octocat', commit: 'c0ffee', runUrl: '' },
      onLeftovers: () => undefined,
    });
    expect(result.error).toBe(
      'health check failed: service web exited with code 3; its last log lines:\n  before a lone CR\\r::error::forged\\x1b[31m\n  #\\#[add-mask]x',
    );
  });
});
