/**
 * Block Kit builders that stay inside Slack's limits. Slack refuses a whole message when one
 * text is a character too long (`invalid_blocks`), and a deploy report must never be lost to
 * a long error or host list, so every builder here shortens instead of failing.
 */
import type { ActionsBlock, Button, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';

/** The limits of https://docs.slack.dev/reference/block-kit/blocks, in characters. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  blocks: 50,
  buttonText: 75,
  buttonsPerBlock: 25,
  url: 3000,
} as const;

/** A button that opens a page. */
export interface LinkButton {
  readonly text: string;
  readonly url: string;
}

/** Escapes text for Slack mrkdwn (`&`, `<`, `>`), so it cannot form links or mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Keeps the start of `text` within `limit`, ending with `…` when shortened. Never splits a
 * surrogate pair (Slack refuses lone surrogates) or an escape such as `&amp;`.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(0, end).replace(/&[a-z]{0,3}$/, '') + '…';
}

/**
 * Escapes `text` for mrkdwn and keeps its END within `limit` (the end of an error is where the
 * cause is), starting with `…` when shortened.
 */
export function escapedTail(text: string, limit: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= limit) return escaped;
  // Counted on the raw text so the cut never lands inside an escape.
  let start = text.length;
  let used = 1;
  while (start > 0) {
    const cost = escapeMrkdwn(text[start - 1]).length;
    if (used + cost > limit) break;
    used += cost;
    start -= 1;
  }
  if (isLowSurrogate(text.charCodeAt(start))) start += 1;
  return '…' + escapeMrkdwn(text.slice(start));
}

/**
 * Joins mrkdwn lines within `limit`, replacing the lines that do not fit with one
 * "… and N more" line, so a long list is cut between entries rather than inside one.
 */
export function fitLines(lines: readonly string[], limit: number): string {
  const all = lines.join('\n');
  if (all.length <= limit) return all;
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const next = length + (kept.length > 0 ? 1 : 0) + line.length;
    // Room is kept for the "more" line at its longest (fewer lines left only shortens it).
    const more = `… and ${lines.length - kept.length} more`;
    if (next + 1 + more.length > limit) break;
    kept.push(line);
    length = next;
  }
  return truncate([...kept, `… and ${lines.length - kept.length} more`].join('\n'), limit);
}

/** A header block (plain text, emoji shortcodes rendered). */
export function headerBlock(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, SLACK_LIMITS.headerText), emoji: true },
  };
}

/** A section of mrkdwn text. */
export function textSection(mrkdwn: string): SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(mrkdwn, SLACK_LIMITS.sectionText) },
  };
}

/** Sections of two-column mrkdwn fields, ten to a section. */
export function fieldSections(fields: readonly string[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let index = 0; index < fields.length; index += SLACK_LIMITS.fieldsPerSection) {
    sections.push({
      type: 'section',
      fields: fields.slice(index, index + SLACK_LIMITS.fieldsPerSection).map((text) => ({
        type: 'mrkdwn',
        text: truncate(text, SLACK_LIMITS.fieldText),
      })),
    });
  }
  return sections;
}

/**
 * An actions block of link buttons, or nothing when no link is usable. A URL that is not
 * http(s) or is too long is left out rather than shortened: a cut URL is a broken link.
 */
export function linkButtons(links: readonly LinkButton[]): ActionsBlock[] {
  const elements: Button[] = links
    .filter((link) => isLinkable(link.url))
    .slice(0, SLACK_LIMITS.buttonsPerBlock)
    .map((link) => ({
      type: 'button',
      text: { type: 'plain_text', text: truncate(link.text, SLACK_LIMITS.buttonText) },
      url: link.url,
    }));
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}

/** Keeps at most Slack's 50 blocks; the first ones (header, facts) matter most. */
export function limitBlocks(blocks: readonly KnownBlock[]): KnownBlock[] {
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

/** Whether `url` can go in a button or an mrkdwn link `<url|text>`. */
export function isLinkable(url: string | undefined): url is string {
  if (!url || url.length > SLACK_LIMITS.url || /[\s<>|]/.test(url)) return false;
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** An mrkdwn link to `url` showing `text` (escaped), or the text alone when the URL is unusable. */
export function mrkdwnLink(url: string | undefined, text: string): string {
  return isLinkable(url) ? `<${url}|${escapeMrkdwn(text)}>` : escapeMrkdwn(text);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
