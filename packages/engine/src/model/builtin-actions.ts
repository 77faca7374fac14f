import type { ActionDescriptor } from './catalog.ts';

const anyValue = {};

/**
 * Descriptors of the built-in actions. The validator checks their inputs like a host
 * action's; the designer shows them in its palette.
 */
export const BUILTIN_ACTIONS: readonly ActionDescriptor[] = [
  {
    type: 'http',
    title: 'HTTP request',
    category: 'Core',
    icon: 'globe',
    description: 'Calls a URL; a non-2xx status is an error the retry policy can see.',
    inputSchema: {
      type: 'object',
      required: ['url'],
      properties: {
        url: { type: 'string' },
        method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        query: { type: 'object' },
        body: anyValue,
        responseType: { enum: ['json', 'text', 'auto'] },
      },
    },
    outputSchema: {
      type: 'object',
      properties: {
        status: { type: 'integer' },
        headers: { type: 'object' },
        body: anyValue,
      },
    },
  },
  {
    type: 'transform',
    title: 'Transform',
    category: 'Core',
    icon: 'shuffle',
    description: 'Outputs its evaluated input object.',
  },
  {
    type: 'log',
    title: 'Log',
    category: 'Core',
    icon: 'message',
    inputSchema: {
      type: 'object',
      required: ['message'],
      properties: {
        message: anyValue,
        level: { enum: ['debug', 'info', 'warn', 'error'] },
        data: anyValue,
      },
    },
  },
  {
    type: 'wait',
    title: 'Wait',
    category: 'Timing',
    icon: 'clock',
    description: 'Waits for a duration or until a time; long waits park the run.',
    inputSchema: {
      type: 'object',
      properties: {
        durationMs: { type: 'number', minimum: 0 },
        until: { type: 'string' },
      },
      anyOf: [{ required: ['durationMs'] }, { required: ['until'] }],
    },
  },
  {
    type: 'approval',
    title: 'Approval',
    category: 'Human',
    icon: 'check-circle',
    description: 'Suspends until a person approves or rejects, or the timeout passes.',
    ports: ['approved', 'rejected', 'timeout'],
    inputSchema: {
      type: 'object',
      properties: {
        approvers: { type: 'array', items: { type: 'string' } },
        message: { type: 'string' },
        form: { type: 'object' },
        timeoutMs: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    outputSchema: {
      type: 'object',
      properties: {
        decision: { enum: ['approved', 'rejected', 'timeout'] },
        by: { type: 'string' },
        data: { type: 'object' },
      },
    },
  },
  {
    type: 'waitForEvent',
    title: 'Wait for event',
    category: 'Timing',
    icon: 'bell',
    ports: ['out', 'timeout'],
    inputSchema: {
      type: 'object',
      required: ['event'],
      properties: {
        event: { type: 'string' },
        filter: anyValue,
        timeoutMs: { type: 'number', exclusiveMinimum: 0 },
      },
    },
  },
  {
    type: 'subflow',
    title: 'Run flow',
    category: 'Core',
    icon: 'flow',
    inputSchema: {
      type: 'object',
      required: ['flowId'],
      properties: { flowId: { type: 'string' }, version: { type: 'integer' }, input: anyValue },
    },
  },
  {
    type: 'fail',
    title: 'Fail',
    category: 'Core',
    icon: 'x-circle',
    neverSucceeds: true,
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string' }, code: { type: 'string' }, data: anyValue },
    },
  },
  {
    type: 'return',
    title: 'Return',
    category: 'Core',
    icon: 'corner-down-left',
    description: 'Sets the flow output and answers the caller at once.',
    inputSchema: { type: 'object', properties: { value: anyValue } },
  },
  {
    type: 'setVars',
    title: 'Set variables',
    category: 'Core',
    icon: 'variable',
    description: 'Merges its evaluated input into `$<vars>`.',
    inputSchema: { type: 'object' },
  },
  {
    type: 'code',
    title: 'Code',
    category: 'Core',
    icon: 'code',
    description: 'Runs JavaScript in an isolated worker with a time limit.',
  },
];
