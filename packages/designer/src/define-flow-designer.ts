import { FlowDesignerBase } from './elements/flow-designer.ts';

/**
 * Registers `<flow-designer>` (or another tag) and returns the registered class. Each tag gets
 * a fresh subclass, so two tags (two versions of the designer) can live on one page.
 *
 * @example
 * defineFlowDesigner('acme-flow-designer');
 */
export function defineFlowDesigner(tagName = 'flow-designer'): typeof FlowDesignerBase {
  const existing = customElements.get(tagName);
  if (existing) {
    if (existing.prototype instanceof FlowDesignerBase) return existing as typeof FlowDesignerBase;
    throw new Error(
      `Cannot define <${tagName}>: the tag is already taken by another element. Pass another tag name to defineFlowDesigner().`,
    );
  }
  const element = class extends FlowDesignerBase {};
  customElements.define(tagName, element);
  return element;
}
