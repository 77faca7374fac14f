// `@millrace/engine/worker`: the engine in a Web Worker, the page talking to it through comlink.
export { exposeEngine } from './expose-engine.ts';
export type { EngineApi, Remote } from './expose-engine.ts';
export { connectEngine } from './connect-engine.ts';
