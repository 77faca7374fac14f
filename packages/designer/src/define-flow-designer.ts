import { FlowDesignerBase } from './elements/flow-designer.ts';
import { preloadLayoutWhenIdle, type LayoutEngineOptions } from './layout/layout-client.ts';

export interface DefineOptions {
  /**
   * Start the page's shared layout worker and its ELK warm-up once the page is idle (the
   * default; the first designer that needs a layout sooner starts it then), with these
   * worker options (a `workerFactory` under Trusted Types), or not at all (`false`: the first
   * designer that lays out starts it).
   */
  readonly preloadLayout?: boolean | Pick<LayoutEngineOptions, 'workerUrl' | 'workerFactory'>;
}

/**
 * Registers `<flow-designer>` (or another tag) and returns the registered class. Each tag gets
 * a fresh subclass, so two tags (two versions of the designer) can live on one page. Starts the
 * layout worker once the page is idle (see `DefineOptions.preloadLayout`), so ELK is warm when
 * the first flow to lay out opens.
 *
 * @example
 * defineFlowDesigner('acme-flow-designer');
 */
export function defineFlowDesigner(
  tagName = 'flow-designer',
  options: DefineOptions = {},
): typeof FlowDesignerBase {
  const preload = options.preloadLayout ?? true;
  if (preload !== false) preloadLayoutWhenIdle(preload === true ? {} : preload);
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
