// The Custom Elements Manifest of the designer (`custom-elements.json`, the package's
// `customElements` field): `npm run build:manifest` in this package. What the analyzer cannot see
// (the tag, events dispatched by controllers, CSS parts and custom properties) is JSDoc on
// FlowDesignerBase; test/custom-elements-manifest.test.ts checks it against the sources.
import { posix } from 'node:path';

/**
 * `defineFlowDesigner(tagName)` registers a fresh subclass per tag, so the analyzer records its
 * `customElements.define(tagName, element)` as a definition of a tag named `tagName` by the
 * local variable `element` (and lists that variable as a declaration). Replace that with what a consumer gets: `<flow-designer>`, defined
 * by FlowDesignerBase (the `@tag` on the class), in the module that registers it.
 */
function defineFlowDesignerPlugin() {
  return {
    name: 'millrace-define-flow-designer',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        if (mod.path !== 'src/define-flow-designer.ts') continue;
        // The helper's local subclass is no declaration of the module.
        mod.declarations = (mod.declarations ?? []).filter((d) => d.name !== 'element');
        mod.exports = (mod.exports ?? []).flatMap((exp) => {
          if (exp.kind !== 'custom-element-definition') return [exp];
          return [
            {
              kind: 'custom-element-definition',
              name: 'flow-designer',
              declaration: { name: 'FlowDesignerBase', module: 'src/elements/flow-designer.ts' },
            },
          ];
        });
      }
    },
  };
}

/**
 * The manifest's `path`s and `module`s name the modules a consumer imports: the built `dist/x.js`
 * of each analyzed `src/x.ts` (tsc emits `src/` to `dist/` one to one). The analyzer writes
 * re-exports with the specifier as written (`./core/viewport.ts`): resolved against their module.
 */
function distPathsPlugin() {
  const toDist = (path) => path.replace(/^src\/(.*)\.ts$/, 'dist/$1.js');
  const visit = (value, from) => {
    if (Array.isArray(value)) value.forEach((v) => visit(v, from));
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'module' && typeof inner === 'string') {
          const resolved = inner.startsWith('.')
            ? posix.join(posix.dirname(from), inner)
            : inner.replace(/^\//, '');
          value[key] = toDist(resolved);
        } else visit(inner, from);
      }
    }
  };
  return {
    name: 'millrace-dist-paths',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        visit(mod.declarations, mod.path);
        visit(mod.exports, mod.path);
        mod.path = toDist(mod.path);
      }
    },
  };
}

export default {
  // The public element and the modules that export it; the designer's internal elements (palette,
  // property panel, expression field) are registered by it under private tags and stay out.
  globs: [
    'src/index.ts',
    'src/define.ts',
    'src/define-flow-designer.ts',
    'src/elements/flow-designer.ts',
  ],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [defineFlowDesignerPlugin(), distPathsPlugin()],
};
