// web-test-runner: every test that needs a DOM, IndexedDB or workers runs in Debian's
// headless Chromium (/usr/bin/chromium). Nothing here downloads a browser.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { Buffer } from 'node:buffer';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { defaultReporter } from '@web/test-runner';
import { chromiumArgs, chromiumPath } from './scripts/chromium.mjs';
import { storageQuotaPlugin, tabsPlugin } from './scripts/wtr-tabs.mjs';

const commonjs = fromRollup(rollupCommonjs);

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

/**
 * `match-screenshot` command: screenshots one element of the test page through the Chrome
 * launcher's puppeteer page and compares it with `<package>/test/screenshots/<name>.png`
 * (pixelmatch, anti-aliasing ignored). On a mismatch the actual and diff images go to
 * `<package>/test/screenshots/failed/` (git-ignored). With UPDATE_SCREENSHOTS=1 a missing or
 * different baseline is (re)written instead; without it a missing baseline fails.
 * Payload: `{ name, selector, maxDiffPixels? }`; answers `{ passed, message, diffPixels }`.
 * `screenshot-viewport` (`{ width, height }`), called before rendering, fixes the page size at
 * device scale 1 with a light colour scheme and reduced motion.
 * (@web/test-runner-visual-regression does this too, but needs Node 22.)
 */
function screenshotPlugin({ update = process.env.UPDATE_SCREENSHOTS === '1' } = {}) {
  const baselineDir = (testFile) => {
    // The `test` folder holding the test file: packages/designer/test/elements/x.ts -> .../test
    const parts = testFile.split(sep);
    const at = parts.lastIndexOf('test');
    return join(at > 0 ? parts.slice(0, at + 1).join(sep) : dirname(testFile), 'screenshots');
  };
  return {
    name: 'match-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command === 'screenshot-viewport') {
        // Before rendering: a fixed page size at scale 1, light scheme, no motion.
        const { width = 1000, height = 800 } = payload ?? {};
        const page = session.browser.getPage(session.id);
        await page.setViewport({ width, height, deviceScaleFactor: 1 });
        await page.emulateMediaFeatures([
          { name: 'prefers-reduced-motion', value: 'reduce' },
          { name: 'prefers-color-scheme', value: 'light' },
        ]);
        return true;
      }
      if (command !== 'match-screenshot') return undefined;
      const { name, selector, maxDiffPixels = 0 } = payload ?? {};
      if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(name)) {
        throw new Error(`match-screenshot: name must be kebab-case, got ${JSON.stringify(name)}.`);
      }
      if (typeof selector !== 'string') throw new Error('match-screenshot: selector missing.');
      const page = session.browser.getPage(session.id);
      if (page.viewport()?.deviceScaleFactor !== 1) {
        throw new Error('match-screenshot: call screenshot-viewport before rendering.');
      }
      const element = await page.$(selector);
      if (!element) throw new Error(`match-screenshot: no element matches ${selector}.`);
      const actual = PNG.sync.read(Buffer.from(await element.screenshot({ type: 'png' })));
      const dir = baselineDir(session.testFile);
      const baselineFile = join(dir, `${name}.png`);
      const shown = relative(process.cwd(), baselineFile);
      const write = (file, png) => {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, PNG.sync.write(png));
      };
      if (!existsSync(baselineFile)) {
        if (!update) {
          return {
            passed: false,
            diffPixels: -1,
            message: `No baseline ${shown}; run "npm run test:update-screenshots" to create it.`,
          };
        }
        write(baselineFile, actual);
        return { passed: true, diffPixels: 0, message: `Wrote new baseline ${shown}.` };
      }
      const baseline = PNG.sync.read(readFileSync(baselineFile));
      const sameSize = baseline.width === actual.width && baseline.height === actual.height;
      const diff = new PNG({ width: actual.width, height: actual.height });
      const diffPixels = sameSize
        ? pixelmatch(baseline.data, actual.data, diff.data, actual.width, actual.height, {
            threshold: 0.1,
            includeAA: false,
          })
        : actual.width * actual.height;
      if (diffPixels === 0 || (!update && diffPixels <= maxDiffPixels)) {
        return { passed: true, diffPixels, message: '' };
      }
      if (update) {
        write(baselineFile, actual);
        return { passed: true, diffPixels, message: `Updated baseline ${shown}.` };
      }
      const failedDir = join(dir, 'failed');
      write(join(failedDir, `${name}.actual.png`), actual);
      if (sameSize) write(join(failedDir, `${name}.diff.png`), diff);
      return {
        passed: false,
        diffPixels,
        message: sameSize
          ? `${name}: ${diffPixels} pixels differ from ${shown} (at most ${maxDiffPixels} allowed); see ${relative(process.cwd(), failedDir)}/.`
          : `${name}: ${actual.width}×${actual.height} px, but ${shown} is ${baseline.width}×${baseline.height} px.`,
      };
    },
  };
}

/**
 * `send-touch` command: a real touch through the Chrome DevTools protocol (puppeteer's
 * touchscreen, `Input.dispatchTouchEvent`), so the page gets the pointer events of a finger
 * (`pointerType: 'touch'`, implicit capture, touch-action) as a tablet would send them.
 * Payload: `{ type: 'start' | 'move' | 'end' | 'tap', x?, y? }` in page (CSS pixel) coordinates.
 */
function touchPlugin() {
  return {
    name: 'send-touch',
    async executeCommand({ command, payload, session }) {
      if (command !== 'send-touch') return undefined;
      const { type, x = 0, y = 0 } = payload ?? {};
      const touch = session.browser.getPage(session.id).touchscreen;
      if (type === 'start') await touch.touchStart(x, y);
      else if (type === 'move') await touch.touchMove(x, y);
      else if (type === 'end') await touch.touchEnd();
      else if (type === 'tap') await touch.tap(x, y);
      else
        throw new Error(
          `send-touch: type must be start, move, end or tap, got ${JSON.stringify(type)}.`,
        );
      return true;
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
  // Workspace packages from their sources (`source`), never a stale dist.
  nodeResolve: { exportConditions: ['source', 'browser', 'development'] },
  // One page at a time: a page behind another is hidden, and hidden pages get no animation
  // frames, which the screenshot and layout-detail tests wait for (they timed out at 2).
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  // Worker URLs name the built `.js` file (bundlers and tsc emit that); here the source is `.ts`.
  middleware: [
    (context, next) => {
      for (const worker of [
        '/packages/engine/src/code/code-worker.js',
        '/packages/designer/src/layout/layout-worker.js',
      ]) {
        if (context.url.startsWith(worker)) {
          context.url = context.url.replace(/\.js(?=$|\?)/, '.ts');
        }
      }
      return next();
    },
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath,
        headless: true,
        args: [...chromiumArgs, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'millrace-wtr-'))}`],
      },
    }),
  ],
  plugins: [
    nodeEnvPlugin(),
    screenshotPlugin(),
    touchPlugin(),
    tabsPlugin(),
    storageQuotaPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'packages/designer/tsconfig.json' }),
    commonjs({
      include: ['**/node_modules/elkjs/lib/elk.bundled.js', '**/node_modules/elkjs/lib/elk-api.js'],
    }),
  ],
  reporters: [defaultReporter(), countingReporter(process.env.WTR_SUMMARY_FILE)],
};
