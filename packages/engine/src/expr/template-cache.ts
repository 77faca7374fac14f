import type { ScopeRecord } from './eval-context.ts';
import { compileTemplate, type CompileOptions, type CompiledTemplate } from './template.ts';

export interface TemplateCacheOptions extends CompileOptions {
  /** Most templates kept; the least recently used one goes first (default 1000). */
  readonly maxEntries?: number;
}

/**
 * A bounded LRU of compiled templates keyed by source. The runtime keeps one per flow
 * version, so a template is parsed and compiled once however many runs evaluate it.
 */
export class TemplateCache {
  private readonly entries = new Map<string, CompiledTemplate>();
  private readonly maxEntries: number;
  private readonly options: CompileOptions;

  constructor(options: TemplateCacheOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
    this.options = options.limits === undefined ? {} : { limits: options.limits };
  }

  get size(): number {
    return this.entries.size;
  }

  /** The compiled template for `source`, compiling it on a miss (errors are not cached). */
  get(source: string): CompiledTemplate {
    const hit = this.entries.get(source);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(source);
      this.entries.set(source, hit);
      return hit;
    }
    const compiled = compileTemplate(source, this.options);
    this.entries.set(source, compiled);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return compiled;
  }

  evaluate(source: string, scope: ScopeRecord): unknown {
    return this.get(source).evaluate(scope);
  }

  clear(): void {
    this.entries.clear();
  }
}

export function createTemplateCache(options: TemplateCacheOptions = {}): TemplateCache {
  return new TemplateCache(options);
}

const defaultCache = new TemplateCache();

/**
 * Compiles (once, cached in a shared LRU) and evaluates a template.
 *
 * @example
 * evaluateTemplate('$<nodes.extract.output.count > 0>', scope) // true
 */
export function evaluateTemplate(source: string, scope: ScopeRecord): unknown {
  return defaultCache.get(source).evaluate(scope);
}
