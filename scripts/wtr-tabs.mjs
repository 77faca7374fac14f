// web-test-runner commands for tests that need more of the browser than their own page: more
// tabs of the same origin in the same browser context (they share its IndexedDB, as a user's
// tabs do), closing or crashing such a tab, and the origin's storage quota.

/**
 * `open-tab` (`{ url }`, relative to the test page): a new page in the test page's browser
 * context, loaded; answers its id. `eval-in-tab` (`{ tab, expression }`): evaluates a JS
 * expression in that tab, awaits it, answers `{ value }` (its JSON value). `close-tab` (`{ tab, how }`):
 * `close` closes the tab as a user does (Target.closeTarget, no unload handlers), `crash`
 * kills its renderer (CDP Page.crash) and then closes what is left. A test closes the tabs it
 * opens (in a `finally`): they live on otherwise, until the browser closes.
 */
export function tabsPlugin() {
  const tabs = new Map(); // id -> puppeteer Page
  let next = 1;
  const tabOf = (payload) => {
    const page = tabs.get(payload?.tab);
    if (!page) throw new Error(`No open tab ${JSON.stringify(payload?.tab)}.`);
    return page;
  };
  return {
    name: 'tabs',
    async executeCommand({ command, payload, session }) {
      if (command === 'open-tab') {
        const testPage = session.browser.getPage(session.id);
        const page = await testPage.browserContext().newPage();
        const id = `tab-${next++}`;
        tabs.set(id, page);
        // What goes wrong in a tab is otherwise invisible: show it with the test's output.
        page.on('pageerror', (error) => console.error(`[${id}] ${error.message}`));
        page.on('console', (message) => {
          if (message.type() === 'error') console.error(`[${id}] ${message.text()}`);
        });
        await page.goto(new URL(payload.url, testPage.url()).href, { waitUntil: 'load' });
        return id;
      }
      if (command === 'eval-in-tab') {
        const page = tabOf(payload);
        // Wrapped: a command that answers undefined counts as not handled by web-test-runner.
        return { value: await page.evaluate(payload.expression) };
      }
      if (command === 'close-tab') {
        const page = tabOf(payload);
        tabs.delete(payload.tab);
        if (payload.how === 'crash') {
          const crashed = new Promise((resolve) => page.once('error', resolve));
          const cdp = await page.createCDPSession();
          // The renderer dies before it can answer, so the command itself fails.
          void cdp.send('Page.crash').catch(() => undefined);
          await crashed;
        } else if (payload.how !== 'close') {
          throw new Error(
            `close-tab: how must be close or crash, got ${JSON.stringify(payload.how)}.`,
          );
        }
        await page.close();
        return true;
      }
      return undefined;
    },
  };
}

/**
 * `storage-quota` (`{ origin?, quotaSize? }`): overrides the storage quota of an origin (the test
 * page's by default; CDP Storage.overrideQuotaForOrigin), in bytes; without `quotaSize` the
 * override is lifted. Chromium's IndexedDB notices a smaller quota only once its cached space
 * allowance for the origin expires (up to 30 s after the origin last wrote), so shrink the quota
 * of an origin before it first writes. Usage counts everything of the origin: read
 * `navigator.storage.estimate()` first and give a quota relative to it. Answers the origin. A
 * test lifts the override it set (in a `finally`).
 */
export function storageQuotaPlugin() {
  // The override lasts as long as the CDP session that set it: kept open until lifted.
  const sessions = new Map(); // origin -> CDPSession
  return {
    name: 'storage-quota',
    async executeCommand({ command, payload, session }) {
      if (command !== 'storage-quota') return undefined;
      const page = session.browser.getPage(session.id);
      const origin = payload?.origin ?? new URL(page.url()).origin;
      let cdp = sessions.get(origin);
      if (!cdp) {
        cdp = await page.createCDPSession();
        sessions.set(origin, cdp);
      }
      if (payload?.quotaSize !== undefined) {
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: payload.quotaSize });
        return origin;
      }
      sessions.delete(origin);
      try {
        await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      } finally {
        await cdp.detach();
      }
      return origin;
    },
  };
}
