/**
 * The designer's built-in icons: stroke glyphs on a 16×16 grid, each a list of SVG path `d`
 * strings. The renderer binds them as attribute values of `<path>` elements (never as markup)
 * and strokes them with `currentColor`, so CSS themes them. Names follow the Feather/Lucide
 * vocabulary that `BUILTIN_ACTIONS` uses for its `icon` fields (`globe`, `clock`, ...), so a
 * catalog may name any of them.
 */

/** The side of the square every glyph is drawn in. */
export const GLYPH_GRID = 16;

const circle = (cx: number, cy: number, r: number): string =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0Z`;

export const NODE_GLYPHS = {
  // Control flow
  // A stem splitting into two arrows (flows run downwards).
  branch: ['M8 1.5V7', 'M8 7 3.2 11.8', 'M8 7l4.8 4.8', 'M3 8.5V12h3.5', 'M9.5 12H13V8.5'],
  switch: ['M2 8h4', 'M6 8l4-4.5h4', 'M6 8h8', 'M6 8l4 4.5h4'],
  repeat: [
    'M2.5 7V6a2 2 0 0 1 2-2h9',
    'M11 1.5 13.5 4 11 6.5',
    'M13.5 9v1a2 2 0 0 1-2 2h-9',
    'M5 14.5 2.5 12 5 9.5',
  ],
  loop: ['M13.5 8a5.5 5.5 0 1 1-1.6-3.9', 'M13.5 1.5v3h-3'],
  shield: ['M8 1.5 13.5 3.5V8c0 3.2-2.4 5.5-5.5 6.5C4.9 13.5 2.5 11.2 2.5 8V3.5Z'],
  group: ['M2 5V2h3', 'M11 2h3v3', 'M14 11v3h-3', 'M5 14H2v-3', 'M5.5 5.5h5v5h-5Z'],
  // Actions
  code: ['M5.5 4 2 8l3.5 4', 'M10.5 4 14 8l-3.5 4', 'M9.2 2.5 6.8 13.5'],
  globe: [
    circle(8, 8, 6.5),
    'M1.5 8h13',
    'M8 1.5c1.8 1.9 2.7 4.1 2.7 6.5s-.9 4.6-2.7 6.5',
    'M8 1.5C6.2 3.4 5.3 5.6 5.3 8s.9 4.6 2.7 6.5',
  ],
  shuffle: [
    'M1.5 4h3l7 8h2.5',
    'M1.5 12h3l2-2.3',
    'M9.5 6.3 11.5 4h2.5',
    'M12 2l2 2-2 2',
    'M12 10l2 2-2 2',
  ],
  message: ['M2 3h12v8.5H7.5L4.5 14v-2.5H2Z', 'M5 6.2h6', 'M5 8.8h4'],
  clock: [circle(8, 8, 6.5), 'M8 4.5V8l2.5 1.5'],
  'check-circle': [circle(8, 8, 6.5), 'M5.2 8.2 7.2 10.2 10.9 6'],
  bell: ['M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11Z', 'M6.5 14.5h3'],
  flow: ['M2 1.5h5v4H2Z', 'M9 10.5h5v4H9Z', 'M4.5 5.5v3.5a2 2 0 0 0 2 2H9'],
  'x-circle': [circle(8, 8, 6.5), 'M5.7 5.7l4.6 4.6', 'M10.3 5.7l-4.6 4.6'],
  'corner-down-left': ['M13.5 2.5v5.5a2 2 0 0 1-2 2H3', 'M6 7 3 10l3 3'],
  variable: [
    'M4.5 2.5C3 4 2.5 6 2.5 8s.5 4 2 5.5',
    'M11.5 2.5c1.5 1.5 2 3.5 2 5.5s-.5 4-2 5.5',
    'M6 5.5l4 5',
    'M10 5.5l-4 5',
  ],
  // Triggers
  play: ['M5 2.5v11l8.5-5.5Z'],
  calendar: ['M2.5 3.5h11v10h-11Z', 'M2.5 6.5h11', 'M5.5 1.5v3', 'M10.5 1.5v3'],
  webhook: [
    'M7 9a3 3 0 0 0 4.2.2l2-2a3 3 0 0 0-4.2-4.3l-1.1 1.1',
    'M9 7a3 3 0 0 0-4.2-.2l-2 2A3 3 0 0 0 7 13.1l1.1-1.1',
  ],
  zap: ['M9 1.5 3 9h5l-1 5.5L13 7H8Z'],
  // Common connector glyphs a catalog may name
  mail: ['M2 3.5h12v9H2Z', 'M2 4l6 5 6-5'],
  database: [
    'M2.5 4c0-1.1 2.5-2 5.5-2s5.5.9 5.5 2-2.5 2-5.5 2-5.5-.9-5.5-2Z',
    'M2.5 4v8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2V4',
    'M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2',
  ],
  user: [circle(8, 5, 2.75), 'M2.5 14c0-3 2.5-5 5.5-5s5.5 2 5.5 5'],
} as const satisfies Readonly<Record<string, readonly string[]>>;

export type GlyphName = keyof typeof NODE_GLYPHS;

/** True when `name` is one of the built-in glyphs. */
export function isGlyphName(name: string): name is GlyphName {
  return Object.prototype.hasOwnProperty.call(NODE_GLYPHS, name);
}
