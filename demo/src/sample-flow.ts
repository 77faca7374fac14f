/**
 * The flow the demo opens with: the expense-approval example of the design. Its last step is
 * one of the demo's connectors (host-actions.ts), so a run needs the engine that has them.
 */
export const sampleFlow = {
  format: 'millrace.flow/v1',
  id: 'expense-approval',
  name: 'Expense approval',
  version: 1,
  triggers: [{ id: 'manual', kind: 'manual' }],
  nodes: [
    { id: 'extract', type: 'transform', input: { amount: '$<flow.input.amount>' } },
    { id: 'big', type: 'if', input: { condition: '$<nodes.extract.output.amount > 2000>' } },
    { id: 'approve', type: 'approval', input: { approvers: ['finance'] } },
    { id: 'notify', type: 'log', input: { message: 'Expense of $<flow.input.amount> handled' } },
    {
      id: 'post',
      type: 'slack.post',
      input: { channel: '#finance', text: 'Expense of $<flow.input.amount> handled' },
    },
  ],
  edges: [
    { from: 'extract', to: 'big' },
    { from: 'big', port: 'true', to: 'approve' },
    { from: 'big', port: 'false', to: 'notify' },
    { from: 'approve', port: 'approved', to: 'notify' },
    { from: 'notify', to: 'post' },
  ],
  output: { amount: '$<nodes.extract.output.amount>', postedTo: '$<nodes.post.output.channel>' },
} as const;
