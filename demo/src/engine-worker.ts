/// <reference lib="webworker" />
import { expose } from 'comlink';
import { ERROR_CODES } from '@millrace/engine';

// The engine runs here, off the main thread; the page talks to it through comlink.
const api = {
  ping(): { ok: true; codes: number } {
    return { ok: true, codes: Object.keys(ERROR_CODES).length };
  },
};

export type EngineWorkerApi = typeof api;

expose(api);
