import { createEngine } from '@millrace/engine';
import { exposeEngine } from '@millrace/engine/worker';

// A worker for connect-engine.browser.test.ts: a real engine with one host action.
exposeEngine(
  createEngine({
    actions: [
      {
        type: 'shout',
        title: 'Shout',
        run: (input) => ({ text: String((input as { text: string }).text).toUpperCase() }),
      },
    ],
  }),
);
