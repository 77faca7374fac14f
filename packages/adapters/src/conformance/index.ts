export { storeConformance } from './store-conformance.ts';
export type { ConformanceHarness, StoreFactory } from './store-conformance.ts';
