/**
 * TypeScript to JavaScript for the sandbox: sucrase strips the types and leaves everything
 * else as written (`disableESTransforms`: QuickJS has the syntax, so no helpers are injected).
 * Done once per distinct source (the same node runs many times), in the host: the guest only
 * ever sees JavaScript. Sucrase is loaded on the first TypeScript source.
 */
type Transform = (
  code: string,
  options: { transforms: ['typescript']; disableESTransforms: true },
) => { code: string };

let loading: Promise<Transform> | undefined;
const cache = new Map<string, string>();
const MAX_CACHED = 1000;

export async function stripTypes(source: string): Promise<string> {
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  loading ??= import('sucrase').then((m) => m.transform as Transform);
  const transform = await loading;
  const code = transform(source, { transforms: ['typescript'], disableESTransforms: true }).code;
  // Oldest first out: Map keeps insertion order.
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(source, code);
  return code;
}
