/**
 * `@millrace/designer/react`: `<flow-designer>` as a React component (through `@lit/react`),
 * with its properties as props (`flow`, `catalog`, `theme`, `readonly`, ...) and its events as
 * `on...` props whose events are typed.
 *
 * Controlled mode: keep the flow in state and set it from `onFlowChange`. The element already
 * shows the flow it reports, so getting that same object back is no change for it (Lit compares
 * by identity): selection, undo history and layout stay as they are.
 *
 * @example
 * const [flow, setFlow] = useState(initialFlow);
 * <FlowDesigner flow={flow} catalog={catalog} onFlowChange={(e) => setFlow(e.detail.flow)} />
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { defineFlowDesigner, type DefineOptions } from './define-flow-designer.ts';
import { FlowDesignerBase } from './elements/flow-designer.ts';
import type { FlowDesignerEventMap } from './elements/flow-designer-events.ts';

type Event<K extends keyof FlowDesignerEventMap> = EventName<FlowDesignerEventMap[K]>;

/** The element's events by their React prop. */
const events = {
  onFlowChange: 'flow-change' as Event<'flow-change'>,
  onFlowBeforeChange: 'flow-before-change' as Event<'flow-before-change'>,
  onFlowValidate: 'flow-validate' as Event<'flow-validate'>,
  onSelectionChange: 'selection-change' as Event<'selection-change'>,
  onNodeOpen: 'node-open' as Event<'node-open'>,
  onEditRefused: 'edit-refused' as Event<'edit-refused'>,
  onIterationChange: 'iteration-change' as Event<'iteration-change'>,
  onRunError: 'run-error' as Event<'run-error'>,
  onLayoutError: 'layout-error' as Event<'layout-error'>,
} satisfies { [prop: string]: Event<keyof FlowDesignerEventMap> };

/**
 * A React component of the designer under `tagName`, registered now (before React's first
 * render: an element upgraded later would have got its objects as `[object Object]`
 * attributes). Outside a browser (server rendering) nothing is registered.
 *
 * @example
 * const AcmeFlowDesigner = createFlowDesignerComponent('acme-flow-designer');
 */
export function createFlowDesignerComponent(
  tagName = 'flow-designer',
  options: DefineOptions = {},
) {
  if (typeof customElements !== 'undefined') defineFlowDesigner(tagName, options);
  return createComponent({
    react: React,
    tagName,
    // The base class: the registered subclass adds nothing, and it exists on a server too.
    elementClass: FlowDesignerBase,
    events,
    displayName: 'FlowDesigner',
  });
}

/** `<flow-designer>` as a React component; importing this module registers the tag. */
export const FlowDesigner = createFlowDesignerComponent();

/** The props of `FlowDesigner`: the element's properties, `on...` events, HTML attributes. */
export type FlowDesignerProps = React.ComponentProps<typeof FlowDesigner>;
