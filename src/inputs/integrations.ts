/** The inputs of the services around a deploy: the registry, DigitalOcean, Slack, GitHub. */
import { isLoopbackHost } from '../http/api-url-override.js';
import { DIGITALOCEAN_REGISTRY } from '../registry/digitalocean.js';
import {
  NOTIFY_ON_VALUES,
  type Inputs,
  type NotifyOn,
  type SlackSettings,
} from '../types/settings.js';
import { boolean, fail, required, type InputReader } from './read.js';

type Registry = Pick<Inputs, 'registry' | 'digitalOcean'>;

/** `registry`, `registry-username`, `registry-password` or `digitalocean-token`. */
export function readRegistry(read: InputReader): Registry {
  const password = read('registry-password');
  const digitalOceanToken = read('digitalocean-token');
  const server = read('registry') || (digitalOceanToken ? DIGITALOCEAN_REGISTRY : '');
  if (digitalOceanToken) {
    if (password || read('registry-username')) {
      fail(
        'registry-password',
        "nothing when 'digitalocean-token' is set: the token gets short-lived credentials",
      );
    }
    return {
      registry: null,
      digitalOcean: { token: digitalOceanToken, registry: registryName(server) },
    };
  }
  if (!server) return { registry: null, digitalOcean: null };
  return {
    registry: {
      server: registryName(server),
      username: required(read, 'registry-username', "when 'registry' is set"),
      password: password || fail('registry-password', "a password or token when 'registry' is set"),
    },
    digitalOcean: null,
  };
}

function registryName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*(:\d+)?(\/[A-Za-z0-9._/-]*)?$/.test(value)) {
    fail('registry', `a registry host such as 'registry.digitalocean.com', got '${value}'`);
  }
  return value;
}

function isNotifyOn(value: string): value is NotifyOn {
  return (NOTIFY_ON_VALUES as readonly string[]).includes(value);
}

/** The Slack inputs, validated. */
export function readSlack(read: InputReader): SlackSettings {
  const notifyOn = read('notify-on') || 'always';
  if (!isNotifyOn(notifyOn))
    fail('notify-on', `one of ${NOTIFY_ON_VALUES.join(', ')}, got '${notifyOn}'`);
  const botToken = read('slack-bot-token') || undefined;
  const channel = read('slack-channel') || undefined;
  if (botToken && !channel)
    fail('slack-channel', "a channel ID such as C0123456789 when 'slack-bot-token' is set");
  return {
    webhookUrl: parseWebhookUrl(read('slack-webhook-url')) ?? undefined,
    botToken,
    channel,
    notifyOn,
    errorsFatal: boolean(read, 'slack-errors-fatal', false),
  };
}

/**
 * The Slack settings alone, read leniently, for reporting a run whose other inputs are invalid
 * (an invalid `notify-on` falls back to `always`; an unusable webhook URL is left out).
 */
export function readSlackLeniently(read: InputReader): SlackSettings {
  let webhookUrl: string | undefined;
  try {
    webhookUrl = parseWebhookUrl(read('slack-webhook-url')) ?? undefined;
  } catch {
    webhookUrl = undefined;
  }
  const notifyOn = read('notify-on');
  return {
    webhookUrl,
    botToken: read('slack-bot-token') || undefined,
    channel: read('slack-channel') || undefined,
    notifyOn: isNotifyOn(notifyOn) ? notifyOn : 'always',
    errorsFatal: read('slack-errors-fatal') === 'true',
  };
}

function parseWebhookUrl(value: string): string | null {
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('slack-webhook-url', 'an https:// URL of a Slack incoming webhook');
  }
  // Over plain http the URL, a secret, and the message would cross the network in clear.
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    return value;
  return fail(
    'slack-webhook-url',
    'an https:// URL (http:// only to a loopback address such as 127.0.0.1, for tests)',
  );
}

/** `environment`, `environment-url` and `github-token`. */
export function readGitHub(
  read: InputReader,
): Pick<Inputs, 'environment' | 'environmentUrl' | 'githubToken'> {
  const environmentUrl = read('environment-url');
  if (environmentUrl && !/^https?:\/\/\S+$/.test(environmentUrl)) {
    fail('environment-url', `an http(s) URL, got '${environmentUrl}'`);
  }
  return {
    environment: read('environment') || undefined,
    environmentUrl: environmentUrl || undefined,
    githubToken: read('github-token'),
  };
}
