/** Side-effect entry point: `import '@millrace/designer/define'` registers `<flow-designer>`. */
import { defineFlowDesigner } from './define-flow-designer.ts';

defineFlowDesigner();

// Its types: `document.querySelector('flow-designer')` is a FlowDesignerBase, its events typed.
export type { FlowDesignerEventMap } from './elements/flow-designer-events.ts';
