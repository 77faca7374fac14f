// Consumer projects of the designer, built from the packed tarballs (scripts/consumers/pack.mjs:
// `npm pack`, then an offline install in a temp project) and run in Chromium: a plain page with
// the shipped bundle under a strict CSP, a React 19 app (Vite) through the React wrapper, two
// tags and a shadow root on one page, and an app bundled by esbuild from node_modules. One
// install, one build of each, one static server and one browser for all of them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, relative } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createConsumer } from '../../../../scripts/consumers/pack.mjs';
import { chromiumArgs, chromiumPath } from '../../../../scripts/chromium.mjs';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; " +
  "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'";

function filesOf(dir: string, out: Record<string, string> = {}, base = dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) filesOf(path, out, base);
    else out[relative(base, path)] = readFileSync(path, 'utf8');
  }
  return out;
}

let app: Awaited<ReturnType<typeof createConsumer>>;
let server: Server;
let origin: string;
let browser: Browser;

function run(cmd: string, args: string[]): void {
  const r = app.exec(cmd, args);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
}

/** Serves the consumer project's files, every response under the strict CSP (workers too). */
function serve(root: string): Promise<string> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
  };
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
    });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
}

before(async () => {
  app = await createConsumer({
    packages: ['designer'],
    dependencies: [
      'react',
      'react-dom',
      '@types/react',
      '@types/react-dom',
      'vite',
      '@vitejs/plugin-react',
      'esbuild',
      'typescript',
    ],
    files: filesOf(fixtures),
    prefix: 'millrace-designer-consumers-',
  });
  // The plain pages: the bundle copied out of the package, as the README says.
  const bundle = join(app.dir, 'node_modules/@millrace/designer/dist/bundle');
  for (const page of ['plain', 'two-tags']) {
    cpSync(bundle, join(app.dir, page, 'flow-designer'), { recursive: true });
  }
  run('node', ['node_modules/vite/bin/vite.js', 'build', 'react', '--logLevel', 'error']);
  run('node', ['esbuild/build.mjs']);
  origin = await serve(app.dir);
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...chromiumArgs] });
});

after(async () => {
  await browser?.close();
  server?.close();
  // KEEP_CONSUMERS=1 keeps the built projects for a look (the path is printed).
  if (process.env.KEEP_CONSUMERS) console.log(`consumer projects kept in ${app?.dir}`);
  else app?.remove();
});

interface Opened {
  readonly page: Page;
  /** Page errors, failed requests and console errors. */
  readonly problems: string[];
}

async function open(path: string): Promise<Opened> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${origin}${path}`);
  return { page, problems };
}

/** Waits until the designer found by `selector` (CSS, piercing shadow roots) draws `count` cards. */
async function cardsDrawn(page: Page, selector: string, count: number): Promise<void> {
  await page
    .locator(`${selector} g.node`)
    .nth(count - 1)
    .waitFor({ timeout: 20_000 });
}

interface Recorded {
  readonly events: readonly { readonly name: string; readonly ids?: readonly string[] }[];
  readonly violations: readonly string[];
  readonly errors: readonly string[];
}

const recorded = (page: Page) =>
  page.evaluate(() => {
    const r = (window as unknown as { __record: Recorded }).__record;
    return {
      events: r.events.map((e) => ({ name: e.name })),
      violations: r.violations,
      errors: r.errors,
    };
  });

function layoutWorkerAt(page: Page, path: string): boolean {
  return page.workers().some((w) => new URL(w.url()).pathname === path);
}

test('the package ships the manifest, the bundle and the React wrapper', () => {
  const pkg = join(app.dir, 'node_modules/@millrace/designer');
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
    customElements: string;
    exports: Record<string, unknown>;
  };
  const cem = JSON.parse(readFileSync(join(pkg, manifest.customElements), 'utf8')) as {
    modules: { declarations?: { tagName?: string }[] }[];
  };
  const tags = cem.modules.flatMap((m) => (m.declarations ?? []).map((d) => d.tagName));
  assert.ok(tags.includes('flow-designer'));
  for (const file of ['flow-designer.js', 'define.js', 'layout-worker.js']) {
    assert.ok(existsSync(join(pkg, 'dist/bundle', file)), `dist/bundle/${file}`);
  }
  assert.ok(manifest.exports['./react'] && manifest.exports['./layout-worker']);
});

test('TypeScript consumers get the tag, typed events and typed React props (tsc)', () => {
  run('node', ['node_modules/typescript/bin/tsc', '-p', 'react/tsconfig.json']);
});

test('a plain page with a strict CSP: the bundle renders, an edit emits flow-change, the worker lays out', async () => {
  const { page, problems } = await open('/plain/index.html');
  await cardsDrawn(page, 'flow-designer', 5);
  assert.ok(
    layoutWorkerAt(page, '/plain/flow-designer/layout-worker.js'),
    'the layout worker runs',
  );
  // Delete a step by keyboard: its card focused, the Delete key.
  await page.locator('flow-designer g.node[data-node-id="done"]').focus();
  await page.keyboard.press('Delete');
  await page.waitForFunction(() =>
    (window as unknown as { __record: Recorded }).__record.events.some(
      (e) => e.name === 'flow-change',
    ),
  );
  const ids = await page.evaluate(() =>
    (
      document.querySelector('flow-designer') as unknown as { flow: { nodes: { id: string }[] } }
    ).flow.nodes.map((n) => n.id),
  );
  assert.deepEqual(ids, ['load', 'check', 'ask']);
  await page.locator('flow-designer g.node[data-node-id="done"]').waitFor({ state: 'detached' });
  const r = await recorded(page);
  assert.ok(r.events.some((e) => e.name === 'flow-validate'));
  assert.deepEqual(r.violations, []);
  assert.deepEqual([...r.errors, ...problems], []);
  await page.close();
});

test('two tags on one page, one inside a shadow root: both render, no style leaks either way', async () => {
  const { page, problems } = await open('/two-tags/index.html');
  await cardsDrawn(page, 'a-designer', 5);
  await cardsDrawn(page, 'host-widget b-designer', 5);
  const inside = await page.evaluate(() => {
    const a = document.querySelector('a-designer')!;
    const b = document.querySelector('host-widget')!.shadowRoot!.querySelector('b-designer')!;
    return [a, b].map((el) => {
      const root = el.shadowRoot!;
      const rect = root.querySelector('g.node rect')!;
      return {
        section: getComputedStyle(root.querySelector('section')!).display,
        header: getComputedStyle(root.querySelector('header')!).display,
        svg: getComputedStyle(root.querySelector('svg.canvas')!).display,
        cardFill: getComputedStyle(rect).fill,
        name: root.querySelector('header')!.textContent?.trim(),
      };
    });
  });
  for (const d of inside) {
    assert.notEqual(d.section, 'none', 'page rules do not reach the designer');
    assert.notEqual(d.header, 'none');
    assert.notEqual(d.svg, 'none');
    assert.notEqual(d.cardFill, 'rgb(255, 0, 0)');
  }
  assert.deepEqual(
    inside.map((d) => d.name),
    ['Consumer check', 'Second designer'],
  );
  const styles = await page.evaluate(() => {
    const w = window as unknown as { __pageStyles(): string[]; __record: { pageBefore: string[] } };
    return { before: w.__record.pageBefore, after: w.__pageStyles() };
  });
  assert.deepEqual(styles.after, styles.before, "the designer's styles leave the page alone");
  const r = await recorded(page);
  assert.ok(r.events.some((e) => e.name === 'a:flow-validate'));
  assert.ok(r.events.some((e) => e.name === 'b:flow-validate'));
  assert.equal(
    await page.evaluate(
      () =>
        (window as unknown as { __record: { distinctClasses: boolean } }).__record.distinctClasses,
    ),
    true,
  );
  assert.deepEqual(r.violations, []);
  assert.deepEqual([...r.errors, ...problems], []);
  await page.close();
});

test('a React 19 app (Vite): the wrapper renders, its events arrive, the flow round-trips through state', async () => {
  const { page, problems } = await open('/react/dist/index.html');
  const violations: string[] = [];
  await page.exposeFunction('__violation', (v: string) => violations.push(v));
  await page.evaluate(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __violation(v: string): void }).__violation(e.violatedDirective),
    ),
  );
  await cardsDrawn(page, 'flow-designer', 5);
  const seen = async () =>
    JSON.parse((await page.locator('#seen').textContent()) ?? '{}') as {
      flowChange: number;
      validate: number;
      selection: string[];
      opened: string;
    };
  await page.waitForFunction(() =>
    document.querySelector('#seen')!.textContent!.includes('"validate":1'),
  );
  assert.equal(await page.locator('flow-designer').getAttribute('theme'), 'dark');

  // Events: a click on a card selects and opens it.
  await page.locator('flow-designer g.node[data-node-id="ask"]').click();
  await page.waitForFunction(() =>
    document.querySelector('#seen')!.textContent!.includes('"opened":"ask"'),
  );
  assert.deepEqual((await seen()).selection, ['ask']);

  // Controlled: an edit goes to React state and comes back as the same document; the element
  // keeps its selection and its undo history (no reset), and React shows the new flow.
  type Designer = {
    flow: { nodes: { id: string }[] };
    canUndo: boolean;
    selection: string[];
    renameNode(id: string, name: string): void;
    removeNodes(ids: string[]): void;
  };
  await page.evaluate(() =>
    (document.querySelector('flow-designer') as unknown as Designer).renameNode('load', 'Load it'),
  );
  await page.waitForFunction(() =>
    document.querySelector('#names')!.textContent!.startsWith('Load it,'),
  );
  const designerState = () =>
    page.evaluate(() => {
      const d = document.querySelector('flow-designer') as unknown as Designer;
      return { ids: d.flow.nodes.map((n) => n.id), canUndo: d.canUndo, selection: d.selection };
    });
  assert.deepEqual(await designerState(), {
    ids: ['load', 'check', 'ask', 'done'],
    canUndo: true,
    selection: ['ask'],
  });
  await page.locator('flow-designer g.node[data-node-id="load"]', { hasText: 'Load it' }).waitFor();
  // A structural edit: through state, drawn without the step.
  await page.evaluate(() =>
    (document.querySelector('flow-designer') as unknown as Designer).removeNodes(['done']),
  );
  await page.waitForFunction(() => document.querySelector('#steps')!.textContent === '3');
  assert.deepEqual((await designerState()).ids, ['load', 'check', 'ask']);
  await page.locator('flow-designer g.node[data-node-id="done"]').waitFor({ state: 'detached' });
  assert.equal((await seen()).flowChange >= 2, true);

  // Undo: the element's history, through state again.
  await page.evaluate(() =>
    (document.querySelector('flow-designer') as unknown as { undo(): void }).undo(),
  );
  await page.waitForFunction(() => document.querySelector('#steps')!.textContent === '4');
  assert.equal((await designerState()).canUndo, true, 'the rename is still in the history');
  await page.locator('flow-designer g.node[data-node-id="done"]').waitFor();

  // State set by React (a new document) reaches the element.
  await page.locator('#rename').click();
  await page.locator('flow-designer header', { hasText: 'Renamed by React' }).waitFor();
  assert.equal(
    await page.evaluate(
      () =>
        (document.querySelector('flow-designer') as unknown as { flow: { name: string } }).flow
          .name,
    ),
    'Renamed by React',
  );
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('an app bundled by esbuild from node_modules (dist): renders, edits, its worker lays out', async () => {
  const inputs = JSON.parse(readFileSync(join(app.dir, 'esbuild/inputs.json'), 'utf8')) as string[];
  const designerFiles = inputs.filter((f) => f.includes('node_modules/@millrace/designer/'));
  assert.ok(designerFiles.length > 10);
  assert.deepEqual(
    designerFiles.filter((f) => !f.includes('/@millrace/designer/dist/')),
    [],
    'the default conditions take the dist',
  );
  const { page, problems } = await open('/esbuild/index.html');
  await cardsDrawn(page, 'flow-designer', 5);
  assert.ok(layoutWorkerAt(page, '/esbuild/assets/layout-worker.js'), 'the layout worker runs');
  await page.evaluate(() =>
    (
      document.querySelector('flow-designer') as unknown as { removeNodes(ids: string[]): void }
    ).removeNodes(['ask']),
  );
  await page.waitForFunction(() =>
    (window as unknown as { __record: Recorded }).__record.events.some(
      (e) => e.name === 'flow-change',
    ),
  );
  const r = await recorded(page);
  assert.deepEqual(r.violations, []);
  assert.deepEqual([...r.errors, ...problems], []);
  await page.close();
});
