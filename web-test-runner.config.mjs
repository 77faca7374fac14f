// web-test-runner: every test that needs a DOM, IndexedDB or workers runs in Debian's
// headless Chromium (/usr/bin/chromium). Nothing here downloads a browser.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { defaultReporter } from '@web/test-runner';

const commonjs = fromRollup(rollupCommonjs);
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** immer and others read process.env.NODE_ENV, which browsers do not have. */
function nodeEnvPlugin() {
  return {
    name: 'replace-node-env',
    transform(context) {
      if (
        context.response.is('js') &&
        typeof context.body === 'string' &&
        context.body.includes('process.env.NODE_ENV')
      ) {
        return { body: context.body.replaceAll('process.env.NODE_ENV', '"development"') };
      }
      return undefined;
    },
  };
}

/** Counts results so scripts/test.mjs can print one summary line over both runners. */
function countingReporter(file) {
  const walk = (suite, acc) => {
    if (!suite) return acc;
    for (const t of suite.tests ?? []) {
      if (t.skipped) acc.skipped++;
      else if (t.passed) acc.passed++;
      else acc.failed++;
    }
    for (const s of suite.suites ?? []) walk(s, acc);
    return acc;
  };
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        walk(session.testResults, acc);
        // A file that failed to load has no results but errors: count it as a failure.
        if (
          !session.passed &&
          (session.testResults?.tests?.length ?? 0) === 0 &&
          (session.testResults?.suites?.length ?? 0) === 0
        ) {
          acc.failed++;
        }
      }
      if (file) writeFileSync(file, JSON.stringify(acc));
    },
  };
}

export default {
  files: ['packages/*/test/**/*.browser.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  concurrency: 2,
  testFramework: { config: { timeout: 10000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${mkdtempSync(join(tmpdir(), 'millrace-wtr-'))}`,
        ],
      },
    }),
  ],
  plugins: [
    nodeEnvPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'packages/designer/tsconfig.json' }),
    commonjs({
      include: ['**/node_modules/elkjs/lib/elk.bundled.js', '**/node_modules/elkjs/lib/elk-api.js'],
    }),
  ],
  reporters: [defaultReporter(), countingReporter(process.env.WTR_SUMMARY_FILE)],
};
