/** Sends the run's message to a Slack incoming webhook. A failure here is a warning, never fatal. */
import * as core from '@actions/core';
import { IncomingWebhook } from '@slack/webhook';
import type { DeployReport } from '../report/deploy-report.js';
import { buildSlackMessage } from './slack-message.js';

/** Posts the report; resolves to true when Slack accepted it. Never throws. */
export async function notifySlack(webhookUrl: string, report: DeployReport): Promise<boolean> {
  const webhook = new IncomingWebhook(webhookUrl, {
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
  });
  try {
    await core.group('Notifying Slack', async () => {
      await webhook.send(buildSlackMessage(report) as never);
      core.info('Slack message sent');
    });
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    core.warning(`the Slack notification failed (the deploy result is unchanged): ${reason}`);
    return false;
  }
}
