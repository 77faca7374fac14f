import type { ActionDescriptor } from '@millrace/engine';

/**
 * The connectors of the demo's fictional SaaS ("Acme Ops"): what its users find in the
 * palette besides the built-in steps. The worker registers actions of the same types.
 */
export const demoCatalog: readonly ActionDescriptor[] = [
  {
    type: 'slack.post',
    title: 'Post to Slack',
    category: 'Slack',
    icon: 'message',
    description: 'Posts a message to a channel.',
    inputSchema: {
      type: 'object',
      required: ['channel', 'text'],
      properties: {
        channel: { type: 'string', title: 'Channel', default: '#finance' },
        text: { type: 'string', title: 'Message' },
        urgent: { type: 'boolean', title: 'Mark as urgent' },
      },
    },
    outputSchema: {
      type: 'object',
      properties: { ts: { type: 'string' }, channel: { type: 'string' } },
    },
  },
  {
    type: 'jira.createIssue',
    title: 'Create Jira issue',
    category: 'Jira',
    icon: 'flow',
    description: 'Opens an issue in a project.',
    inputSchema: {
      type: 'object',
      required: ['project', 'summary'],
      properties: {
        project: { type: 'string', title: 'Project key' },
        summary: { type: 'string', title: 'Summary' },
        priority: { enum: ['Low', 'Medium', 'High'], title: 'Priority', default: 'Medium' },
        labels: { type: 'array', title: 'Labels', items: { type: 'string' } },
      },
    },
    outputSchema: {
      type: 'object',
      properties: { key: { type: 'string' }, url: { type: 'string' } },
    },
  },
  {
    type: 'email.send',
    title: 'Send email',
    category: 'Email',
    icon: 'message',
    description: 'Sends an email through Acme Mail.',
    inputSchema: {
      type: 'object',
      required: ['to', 'subject'],
      properties: {
        to: { type: 'string', title: 'To', format: 'email' },
        subject: { type: 'string', title: 'Subject' },
        body: { type: 'string', title: 'Body' },
      },
    },
    outputSchema: { type: 'object', properties: { id: { type: 'string' } } },
  },
];
