/**
 * Text in the job summary, escaped for where it goes. GitHub renders the summary as Markdown in
 * which a line that starts with a tag opens an HTML block, and a blank line ends it: what
 * follows is Markdown again, where `[click](https://...)` is a live link. So a text that came
 * from a host, a container or an input must not only be HTML-escaped but also kept on one line
 * wherever it sits in a table or a paragraph, and hold nothing Markdown would read as syntax.
 */
import { oneLine } from '../remote-text.js';

/** Escapes text for HTML, in element content and in quoted attributes alike. */
export function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The longest text a table cell or a paragraph shows of one value from elsewhere. */
export const INLINE_LIMIT = 200;

/**
 * HTML's special characters, and the punctuation of Markdown's links and images: as character
 * references they show as themselves, and Markdown never reads a reference as syntax.
 */
const SPECIAL = /[&<>"'[\]()!]/g;

/**
 * `text` for a table cell or a one-line HTML paragraph: line breaks and control characters
 * shown escaped (`\n`), at most `limit` characters, HTML-escaped, the brackets of links and
 * images as character references; it can end no HTML block and start no link, image or tag.
 */
export function inlineHtml(text: string, limit = INLINE_LIMIT): string {
  const chars = Array.from(oneLine(text));
  const clipped = chars.length > limit ? `${chars.slice(0, limit - 1).join('')}…` : chars.join('');
  return clipped.replace(SPECIAL, (char) =>
    /[&<>"']/.test(char) ? html(char) : `&#${char.charCodeAt(0)};`,
  );
}
