/** Side-effect entry point: `import '@millrace/designer/define'` registers `<flow-designer>`. */
import { defineFlowDesigner } from './define-flow-designer.ts';

defineFlowDesigner();
