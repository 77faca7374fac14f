import { css } from 'lit';

// The dark theme's values, used under prefers-color-scheme and under theme="dark".
const darkVars = css`
  color-scheme: dark;
  --_bg: var(--flow-designer-bg, #161a22);
  --_fg: var(--flow-designer-fg, #e3e7ef);
  --_muted: var(--flow-designer-muted, #9aa3b5);
  --_border: var(--flow-designer-border, #343b4a);
  --_field-border: var(--flow-designer-border, #4a5366);
  --_card: var(--flow-designer-card-bg, #222834);
  --_accent: var(--flow-designer-accent, #7aa2f7);
  --_error: var(--flow-designer-error, #ef6b6b);
  --_warning: var(--flow-designer-warning, #e0a040);
  --_info: var(--flow-designer-info, #5cc4d4);
`;

/**
 * The property panel's styles: the designer's custom properties (`--flow-designer-*`) with the
 * same light and dark defaults as `<flow-designer>`, dark under `prefers-color-scheme: dark`
 * (unless `theme="light"`) or `theme="dark"`. Static only (strict CSP: no injected `<style>`).
 */
export const propertyPanelStyles = css`
  :host {
    color-scheme: light;
    --_bg: var(--flow-designer-bg, #f7f8fa);
    --_fg: var(--flow-designer-fg, #1d2330);
    --_muted: var(--flow-designer-muted, #5b6478);
    --_border: var(--flow-designer-border, #d9dde5);
    /* Field outlines need 3:1 against the page (WCAG 1.4.11), more than card borders. */
    --_field-border: var(--flow-designer-border, #8a93a6);
    --_card: var(--flow-designer-card-bg, #ffffff);
    --_accent: var(--flow-designer-accent, #3b6fd8);
    --_error: var(--flow-designer-error, #c62828);
    /* Darker than the designer's glyph colours: here they colour text (4.5:1). */
    --_warning: var(--flow-designer-warning, #8f5500);
    --_info: var(--flow-designer-info, #166a77);
    --_space: var(--flow-designer-space, 12px);
    display: block;
    box-sizing: border-box;
    /* In a column of fixed height (the designer's side panel) the form scrolls. */
    overflow: auto;
    font-family: var(--flow-designer-font, system-ui, sans-serif);
    font-size: var(--flow-designer-font-size, 14px);
    color: var(--_fg);
    background: var(--_bg);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${darkVars}
    }
  }
  :host([theme='dark']) {
    ${darkVars}
  }
  :host([hidden]) {
    display: none;
  }
  .panel {
    display: flex;
    flex-direction: column;
    gap: var(--_space);
    padding: var(--_space);
    min-width: 0;
  }
  header {
    display: flex;
    align-items: flex-start;
    gap: 8px;
    border-bottom: 1px solid var(--_border);
    padding-bottom: 8px;
  }
  header .titles {
    flex: 1 1 auto;
    min-width: 0;
  }
  h2 {
    margin: 0;
    font-size: 1.1em;
    overflow-wrap: anywhere;
  }
  h3 {
    margin: 0 0 4px;
    font-size: 1em;
  }
  .type {
    color: var(--_muted);
    font-size: 0.85em;
  }
  .empty {
    color: var(--_muted);
    margin: 0;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: var(--_fg);
    background: var(--_card);
    border: 1px solid var(--_field-border);
    border-radius: var(--flow-designer-radius-small, 4px);
  }
  button {
    min-height: 28px;
    padding: 2px 8px;
    cursor: pointer;
  }
  button[disabled],
  input[disabled],
  select[disabled],
  textarea[disabled] {
    cursor: default;
    opacity: 0.75;
  }
  input,
  select,
  textarea {
    box-sizing: border-box;
    width: 100%;
    min-height: 30px;
    padding: 3px 8px;
  }
  input[type='checkbox'] {
    width: 18px;
    height: 18px;
    min-height: 0;
    margin: 0;
    accent-color: var(--_accent);
  }
  textarea {
    resize: vertical;
    min-height: 4.5em;
  }
  textarea.code,
  textarea.json {
    font-family: var(--flow-designer-mono, ui-monospace, monospace);
    white-space: pre;
  }
  textarea.code {
    min-height: 10em;
    tab-size: 2;
  }
  :is(button, input, select, textarea, summary, [tabindex]):focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  [aria-invalid='true']:not(millrace-expression-field) {
    border-color: var(--_error);
    border-width: 2px;
  }
  .close {
    flex: none;
    min-width: 28px;
    padding: 0;
    font-size: 1.2em;
    line-height: 1;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    min-width: 0;
  }
  .label-row {
    display: flex;
    align-items: center;
    gap: 6px;
    min-height: 24px;
  }
  .label-row label,
  .label-row .label {
    flex: 1 1 auto;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .check label {
    font-weight: 600;
  }
  .required {
    color: var(--_error);
    margin-left: 2px;
  }
  .fx {
    flex: none;
    min-height: 22px;
    padding: 0 6px;
    font-family: var(--flow-designer-mono, ui-monospace, monospace);
    font-size: 0.8em;
    font-style: italic;
  }
  .fx[aria-pressed='true'] {
    color: var(--_card);
    background: var(--_accent);
    border-color: var(--_accent);
  }
  .small {
    flex: none;
    min-height: 22px;
    padding: 0 6px;
    font-size: 0.85em;
  }
  .help {
    margin: 0;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .messages,
  .problems {
    list-style: none;
    margin: 0;
    padding: 0;
    font-size: 0.85em;
  }
  .messages li,
  .problems li {
    display: flex;
    gap: 6px;
    align-items: baseline;
  }
  .glyph {
    flex: none;
    width: 1em;
    text-align: center;
    font-weight: 700;
  }
  .error .glyph {
    color: var(--_error);
  }
  .warning .glyph {
    color: var(--_warning);
  }
  .info .glyph {
    color: var(--_info);
  }
  .problems {
    padding: 8px;
    border: 1px solid var(--_border);
    border-left: 3px solid var(--_error);
    border-radius: var(--flow-designer-radius-small, 4px);
    background: var(--_card);
  }
  fieldset {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-width: 0;
    margin: 0;
    padding: 8px 10px 10px;
    border: 1px solid var(--_border);
    border-radius: var(--flow-designer-radius-small, 4px);
  }
  legend {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 0 4px;
    font-weight: 600;
  }
  .section,
  .fields {
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  ol.items {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  ol.items > li {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding-left: 8px;
    border-left: 2px solid var(--_border);
  }
  .item-tools,
  .add-row {
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
    align-items: center;
  }
  .add-row input {
    flex: 1 1 8em;
    width: auto;
  }
  .variant {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding-left: 8px;
    border-left: 2px solid var(--_border);
  }
  .constant {
    font-family: var(--flow-designer-mono, ui-monospace, monospace);
  }
  .description-text {
    color: var(--_muted);
    font-size: 0.85em;
  }
  details.settings {
    border-top: 1px solid var(--_border);
    padding-top: 8px;
  }
  details.settings > summary {
    cursor: pointer;
    font-weight: 600;
    padding: 4px 0;
  }
  details.settings > .fields {
    margin-top: 8px;
  }
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
    border: 0;
  }
  .host-editor[hidden] {
    display: none;
  }
`;
