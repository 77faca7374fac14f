export { storeConformance } from './store-conformance.ts';
export type { ConformanceHarness, StoreFactory, StoreFeatures } from './store-conformance.ts';
