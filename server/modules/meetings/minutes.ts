/** The minutes of a meeting (SEC-20): sanitised on the way in, as plain paragraphs for the Word ledger. */
import sanitizeHtml from 'sanitize-html';

/** SEC-20: the minutes keep text structure only; no attribute, link, image, script or style survives. */
const MINUTES_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'u',
    'ol',
    'ul',
    'li',
    'h3',
    'h4',
    'blockquote',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
  ],
  allowedAttributes: {},
  allowedSchemes: [],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
    'template',
    'title',
    'head',
  ],
};

export function sanitizeMinutes(html: string): string {
  return sanitizeHtml(html, MINUTES_OPTIONS).trim();
}

/** The minutes as plain paragraphs (for the Word ledger). */
export function minutesParagraphs(html: string | null): string[] {
  if (!html) return [];
  const text = sanitizeHtml(html.replace(/<\/(p|li|h3|h4|tr|blockquote)>|<br\s*\/?>/gi, '\n'), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: MINUTES_OPTIONS.nonTextTags,
  });
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}
