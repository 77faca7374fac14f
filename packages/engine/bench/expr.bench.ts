import { pathToFileURL } from 'node:url';
import jsonata from 'jsonata';
import { compileTemplate, createTemplateCache, parseTemplate } from '../src/expr/index.ts';
import { measure, report, type Sample } from './measure.ts';

// Benchmarks of the expression language's hot paths (issue targets in parentheses):
// evaluating compiled templates (>= 5M/s, >= 50x jsonata 2.x precompiled), and parsing +
// compiling every expression of a 1,000-node flow (< 20 ms).

const scope = {
  flow: {
    input: { source: 'https://example.test/data', amount: 2500, name: 'Dana' },
    id: 'f',
    runId: 'r',
  },
  nodes: {
    extract: {
      output: {
        records: [
          { id: 42, name: 'a' },
          { id: 7, name: 'b' },
        ],
        count: 2,
      },
      status: 'succeeded',
    },
    validate: { output: { is_valid: true }, status: 'succeeded' },
  },
  vars: {},
};

/** Median of `runs` timed loops of an async function (jsonata 2.x evaluates asynchronously). */
async function measureAsync(
  name: string,
  iterations: number,
  fn: () => Promise<unknown>,
  runs = 7,
): Promise<Sample> {
  for (let i = 0; i < Math.min(iterations, 1000); i++) await fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < iterations; i++) await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return { name, medianMs, opsPerSecond: (iterations / medianMs) * 1000, runs };
}

/** About three expressions per node, shaped like real flows. */
export function generateFlowTemplates(nodeCount: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const prev = `n${Math.max(0, i - 1)}`;
    out.push(`$<nodes.${prev}.output.records[0].id>`);
    out.push(`Processed $<len(nodes.${prev}.output.records)> records for $<flow.input.name>`);
    out.push(
      `$<nodes.${prev}.output.records.filter(r => r.amount > 1000 && r.status === 'open').map(r => r.id)>`,
    );
  }
  return out;
}

export async function runExpressionBenchmarks(): Promise<void> {
  const pathTemplate = compileTemplate('$<nodes.extract.output.records[0].id>');
  const ternaryTemplate = compileTemplate("$<nodes.validate.output.is_valid ? 'proceed' : 'stop'>");
  const mixedTemplate = compileTemplate(
    'Loaded $<nodes.extract.output.count> records from $<flow.input.source>',
  );
  const mapTemplate = compileTemplate(
    '$<nodes.extract.output.records.map(r => r.id * 2).filter(x => x > 20)>',
  );
  const cache = createTemplateCache();

  const path = measure('expr: evaluate nodes.extract.output.records[0].id', 2_000_000, () => {
    pathTemplate.evaluate(scope);
  });
  const ternary = measure("expr: evaluate is_valid ? 'proceed' : 'stop'", 2_000_000, () => {
    ternaryTemplate.evaluate(scope);
  });
  report(path);
  report(ternary);
  report(
    measure(
      'expr: evaluate text template with two expressions',
      1_000_000,
      () => void mixedTemplate.evaluate(scope),
    ),
  );
  report(
    measure(
      'expr: evaluate map + filter with arrows',
      500_000,
      () => void mapTemplate.evaluate(scope),
    ),
  );
  report(
    measure('expr: evaluateTemplate through an LRU cache (hit)', 1_000_000, () => {
      cache.evaluate('$<nodes.extract.output.records[0].id>', scope);
    }),
  );

  const jsonPath = jsonata('nodes.extract.output.records[0].id');
  const jsonTernary = jsonata("nodes.validate.output.is_valid ? 'proceed' : 'stop'");
  const jPath = await measureAsync('jsonata 2.x: evaluate the same path', 20_000, () =>
    jsonPath.evaluate(scope),
  );
  const jTernary = await measureAsync('jsonata 2.x: evaluate the same ternary', 20_000, () =>
    jsonTernary.evaluate(scope),
  );
  report(jPath);
  report(jTernary);
  console.log(
    `expr vs jsonata: path ${(path.opsPerSecond / jPath.opsPerSecond).toFixed(0)}x, ternary ${(ternary.opsPerSecond / jTernary.opsPerSecond).toFixed(0)}x faster`,
  );

  const templates = generateFlowTemplates(1000);
  // Deploying happens in a running host, so measure with the parser and compiler JIT-warm.
  for (let i = 0; i < 3; i++) for (const t of templates) compileTemplate(t);
  const parseCompile = measure(
    `expr: parse + compile a 1,000-node flow (${templates.length} templates)`,
    1,
    () => {
      for (const t of templates) compileTemplate(t);
    },
  );
  report(parseCompile);
  report(
    measure(`expr: parse only, same flow`, 1, () => {
      for (const t of templates) parseTemplate(t);
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runExpressionBenchmarks();
}
