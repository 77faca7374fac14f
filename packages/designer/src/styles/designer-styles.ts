import { css } from 'lit';

/** The designer's base styles: every colour, font, radius and spacing is a custom property. */
export const designerStyles = css`
  :host {
    display: block;
    position: relative;
    min-height: 200px;
    font-family: var(--flow-designer-font, system-ui, sans-serif);
    color: var(--flow-designer-fg, #1d2330);
    background: var(--flow-designer-bg, #f7f8fa);
    border-radius: var(--flow-designer-radius, 8px);
    overflow: hidden;
  }
  header {
    padding: var(--flow-designer-space, 12px);
    border-bottom: 1px solid var(--flow-designer-border, #d9dde5);
    font-weight: 600;
  }
  .empty {
    padding: var(--flow-designer-space, 12px);
    color: var(--flow-designer-muted, #5b6478);
  }
`;
