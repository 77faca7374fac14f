import { nothing, svg, type SVGTemplateResult } from 'lit';
import type { LayoutNode } from '../core/layout-result.ts';
import type { IterationStep, LoopIterations } from '../core/iteration-choice.ts';
import type { DesignerStrings } from './designer-strings.ts';

/**
 * The iteration picker on a loop's card: `‹ 3 / 10 ›`, a tab on the card's top border (right of
 * the input port, left of the validation marker). Each arrow is an SVG `role="button"`:
 * Enter/Space step, and on either arrow ←/→ step and Home/End jump to the first/last iteration.
 * Drawn inside the card's group, so it stops its pointer and key events from reaching the card
 * (which would select it, open it or move focus) and the canvas (which would start a pan).
 */

export const PICKER_WIDTH = 84;
export const PICKER_HEIGHT = 18;
/** Room kept free at the card's right corner for the validation marker. */
const MARKER_ROOM = 24;

export interface IterationPickerContext {
  readonly strings: DesignerStrings;
  /** The loop's name as its card shows it. */
  readonly name: string;
  readonly onStep: (step: IterationStep) => void;
}

const KEYS: Readonly<Record<string, IterationStep>> = {
  ArrowLeft: 'previous',
  ArrowRight: 'next',
  Home: 'first',
  End: 'last',
};

/** The picker of one loop card, or nothing when the loop has fewer than two iterations. */
export function renderIterationPicker(
  n: LayoutNode,
  loop: LoopIterations | undefined,
  ctx: IterationPickerContext,
): SVGTemplateResult | typeof nothing {
  if (!loop || loop.iterations.length < 2) return nothing;
  const t = ctx.strings;
  const count = loop.iterations.length;
  const position = loop.iterations.indexOf(loop.current) + 1;
  const x = n.x + n.width - MARKER_ROOM - PICKER_WIDTH;
  const y = n.y - PICKER_HEIGHT / 2;
  const mid = y + PICKER_HEIGHT / 2;
  const stop = (e: Event) => e.stopPropagation();
  const onKeydown = (step: IterationStep) => (e: KeyboardEvent) => {
    const key = e.key === 'Enter' || e.key === ' ' ? step : KEYS[e.key];
    if (e.key === 'Tab') return;
    e.stopPropagation();
    if (!key) return;
    e.preventDefault();
    ctx.onStep(key);
  };
  const onClick = (step: IterationStep) => (e: MouseEvent) => {
    e.stopPropagation();
    ctx.onStep(step);
  };
  const button = (step: 'previous' | 'next', bx: number, disabled: boolean) => {
    const cx = bx + PICKER_HEIGHT / 2;
    const d =
      step === 'previous'
        ? `M${cx + 2} ${mid - 4} L${cx - 2} ${mid} L${cx + 2} ${mid + 4}`
        : `M${cx - 2} ${mid - 4} L${cx + 2} ${mid} L${cx - 2} ${mid + 4}`;
    const label = step === 'previous' ? t.previousIteration : t.nextIteration;
    return svg`<g
      part="iteration-button iteration-${step}"
      class="iteration-button ${disabled ? 'disabled' : ''}"
      role="button"
      tabindex="0"
      aria-label=${label}
      aria-disabled=${disabled ? 'true' : 'false'}
      data-step=${step}
      @click=${onClick(step)}
      @keydown=${onKeydown(step)}
    >
      <rect class="iteration-hit" x=${bx} y=${y} width=${PICKER_HEIGHT} height=${PICKER_HEIGHT} rx=${PICKER_HEIGHT / 2}></rect>
      <path class="iteration-chevron" aria-hidden="true" d=${d}></path>
      <title>${label}</title>
    </g>`;
  };
  return svg`<g
    part="iteration-picker"
    class="iteration-picker"
    data-loop-id=${loop.loopId}
    role="group"
    aria-label=${t.iterationPicker(ctx.name, position, count)}
    @pointerdown=${stop}
    @dblclick=${stop}
  >
    <rect class="iteration-box" x=${x} y=${y} width=${PICKER_WIDTH} height=${PICKER_HEIGHT} rx=${PICKER_HEIGHT / 2}></rect>
    ${button('previous', x, position <= 1)}
    <text class="iteration-text" aria-hidden="true" x=${x + PICKER_WIDTH / 2} y=${mid + 4} text-anchor="middle">${t.iterationPosition(position, count)}</text>
    ${button('next', x + PICKER_WIDTH - PICKER_HEIGHT, position >= count)}
  </g>`;
}
