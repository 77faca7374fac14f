import { sql as initial } from './0001-initial.ts';
import { sql as flowLifecycle } from './0002-flow-lifecycle.ts';
import { sql as runLeases } from './0003-run-leases.ts';

/** A schema change: applied once, in order, recorded in `millrace_migrations`. */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

/** Every migration, oldest first. Never edit one that shipped: add the next. */
export const MIGRATIONS: readonly Migration[] = [
  { id: '0001-initial', sql: initial },
  { id: '0002-flow-lifecycle', sql: flowLifecycle },
  { id: '0003-run-leases', sql: runLeases },
];
