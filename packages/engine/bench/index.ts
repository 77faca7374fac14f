import { MillraceError } from '@millrace/engine';
import { measure, report } from './measure.ts';

// Entry point of `npm run bench` for the engine; later issues add the expression and run-time
// benchmarks here. This one is the harness's own smoke benchmark.
report(
  measure('MillraceError construct + toJSON', 100_000, () => {
    new MillraceError('E_NODE_TIMEOUT', 'timed out', { path: '/nodes/1' }).toJSON();
  }),
);
