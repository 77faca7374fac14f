import { performance } from 'node:perf_hooks';
import { completeAt, tokensForHighlighting, type CompletionScope } from '@millrace/engine';
import { previewExpression, syntaxDiagnostics } from '../src/core/expression-preview.ts';
import { median } from './median.ts';

/**
 * What one keystroke in `<millrace-expression-field>` costs outside CodeMirror: the engine's
 * highlighting tokens, the recovering parse behind the message list, a completion request and
 * the preview, on a ~200-character template (the field redoes all of them per keystroke).
 *
 *   node -C source --import tsx packages/designer/bench/expression-field.bench.ts [--runs 2000]
 */

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : (process.argv[i + 1] ?? fallback);
}

const runs = Number(arg('runs', '2000'));

const template =
  'Invoice $<nodes.extract.output.number> for $<flow.input.customer.name ?? "unknown">: ' +
  '$<nodes.extract.output.items.filter(i => i.price > 10).map(i => i.name).join(", ")> ' +
  '(total $<nodes.extract.output.total * 1.2>)';

const scope: CompletionScope = {
  nodes: {
    extract: {
      title: 'Extract invoice',
      outputSchema: {
        type: 'object',
        properties: {
          number: { type: 'string' },
          total: { type: 'number' },
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, price: { type: 'number' } },
            },
          },
        },
      },
    },
  },
};

const sample = {
  flow: { input: { customer: { name: 'Dana' } } },
  nodes: {
    extract: {
      output: {
        number: 'INV-7',
        total: 120,
        items: Array.from({ length: 20 }, (_, i) => ({ name: `item ${i}`, price: i * 2 })),
      },
    },
  },
};

// A completion where the user is typing: after `nodes.extract.output.` in the third expression.
const at = template.indexOf('output.items') + 'output.'.length;

function time(fn: () => unknown): number[] {
  for (let i = 0; i < 200; i++) fn(); // warm up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    out.push(performance.now() - start);
  }
  return out;
}

const rows: [string, number[]][] = [
  ['tokensForHighlighting', time(() => tokensForHighlighting(template))],
  ['syntaxDiagnostics (parseTemplate, recover)', time(() => syntaxDiagnostics(template))],
  ['completeAt', time(() => completeAt(template, at, scope))],
  ['previewExpression (compile + evaluate)', time(() => previewExpression(template, sample))],
  [
    'one keystroke (all four)',
    time(() => {
      tokensForHighlighting(template);
      syntaxDiagnostics(template);
      completeAt(template, at, scope);
      previewExpression(template, sample);
    }),
  ],
];

console.log(`expression field, ${template.length}-character template, ${runs} runs (median ms):`);
for (const [name, figures] of rows)
  console.log(`  ${name.padEnd(44)} ${median(figures).toFixed(4)}`);
