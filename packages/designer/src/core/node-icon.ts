import type { ActionDescriptor, TriggerKind } from '@millrace/engine/model';
import { isGlyphName, type GlyphName } from './node-glyphs.ts';

/**
 * Which icon a card shows. Pure: the element passes the page's origin and base URL in, and
 * draws the answer (a glyph as `<path>`s, an image as `<image href>`, a monogram as text).
 * Icons never arrive as markup, so a catalog cannot inject SVG into the canvas.
 */
export type NodeIcon =
  | { readonly kind: 'glyph'; readonly name: GlyphName }
  /** A `data:image/...` or same-origin URL, drawn with `<image href>` (CSP `img-src 'self' data:`). */
  | { readonly kind: 'image'; readonly href: string }
  /** One or two letters of the action's title (or type). */
  | { readonly kind: 'monogram'; readonly text: string };

/** The glyph of each built-in node type (the same names `BUILTIN_ACTIONS` gives as `icon`). */
export const TYPE_GLYPHS: Readonly<Record<string, GlyphName>> = {
  if: 'branch',
  switch: 'switch',
  forEach: 'repeat',
  while: 'loop',
  try: 'shield',
  group: 'group',
  code: 'code',
  http: 'globe',
  transform: 'shuffle',
  log: 'message',
  wait: 'clock',
  approval: 'check-circle',
  waitForEvent: 'bell',
  subflow: 'flow',
  fail: 'x-circle',
  return: 'corner-down-left',
  setVars: 'variable',
};

/** The glyph of each trigger kind's entry card. */
export const TRIGGER_GLYPHS: Readonly<Record<TriggerKind, GlyphName>> = {
  manual: 'play',
  schedule: 'calendar',
  webhook: 'webhook',
  event: 'zap',
};

/** Where relative icon URLs resolve and which origin counts as "same". */
export interface IconOrigin {
  /** `location.origin`, e.g. `https://app.example`. */
  readonly origin: string;
  /** `document.baseURI`; relative URLs resolve against it. */
  readonly baseUrl: string;
}

const HAS_OWN = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The letters of a monogram: the first letters of the first two words of `title` (words split
 * at spaces, punctuation and camelCase humps), upper-cased; `?` when there are none.
 * @example monogramOf('Slack: post message') // 'SP'
 */
export function monogramOf(title: string): string {
  const words = title
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0] ?? '');
  const text = letters.join('').toLocaleUpperCase();
  return text === '' ? '?' : text;
}

/**
 * The image URL an icon string stands for, or `undefined` when it is not a URL the designer
 * will load: `data:image/...` URLs and URLs of the page's own origin (http/https) are accepted;
 * other origins (a strict CSP would block them, and loading them would leak the page) and any
 * other scheme (`javascript:`, `blob:`) are not.
 */
export function iconImageUrl(icon: string, where: IconOrigin | undefined): string | undefined {
  const value = icon.trim();
  if (/^data:image\/[a-z0-9.+-]+[;,]/i.test(value)) return value;
  // Names have no `/ . :`; strings with spaces, quotes or angle brackets are not URLs at all.
  if (!where || !/[/.:]/.test(value) || /[\s<>"'`]/.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value, where.baseUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin === where.origin ? url.href : undefined;
}

/** The icon an `ActionDescriptor.icon` string names, if it names a usable one. */
export function iconFromName(icon: string, where: IconOrigin | undefined): NodeIcon | undefined {
  if (isGlyphName(icon)) return { kind: 'glyph', name: icon };
  if (HAS_OWN(TYPE_GLYPHS, icon)) return { kind: 'glyph', name: TYPE_GLYPHS[icon]! };
  const href = iconImageUrl(icon, where);
  return href === undefined ? undefined : { kind: 'image', href };
}

/** What a card is, for its icon. */
export type IconSubject =
  | { readonly kind: 'trigger'; readonly trigger: TriggerKind | string }
  | { readonly kind: 'node'; readonly type: string; readonly descriptor?: ActionDescriptor };

/**
 * The icon of a card: the catalog's `icon` when it names a glyph or a loadable image; else the
 * built-in glyph of the node type (or trigger kind); else a monogram of the action's title (or,
 * without a catalog entry, of its type).
 * @example nodeIconOf({ kind: 'node', type: 'slack.post', descriptor: { type: 'slack.post', title: 'Post to Slack' } }) // { kind: 'monogram', text: 'PT' }
 */
export function nodeIconOf(subject: IconSubject, where?: IconOrigin): NodeIcon {
  if (subject.kind === 'trigger') {
    const glyph = HAS_OWN(TRIGGER_GLYPHS, subject.trigger)
      ? TRIGGER_GLYPHS[subject.trigger as TriggerKind]
      : 'zap';
    return { kind: 'glyph', name: glyph };
  }
  const { type, descriptor } = subject;
  const named =
    typeof descriptor?.icon === 'string' && descriptor.icon !== ''
      ? iconFromName(descriptor.icon, where)
      : undefined;
  if (named) return named;
  if (HAS_OWN(TYPE_GLYPHS, type)) return { kind: 'glyph', name: TYPE_GLYPHS[type]! };
  const title =
    typeof descriptor?.title === 'string' && descriptor.title.trim() !== ''
      ? descriptor.title
      : type;
  return { kind: 'monogram', text: monogramOf(title) };
}
