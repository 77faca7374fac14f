import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { NODES, type QuotaApi } from './quota-error-page.ts';

// Chromium's own quota, not a simulated one: the quota of an origin is shrunk through CDP
// (Storage.overrideQuotaForOrigin: the storage-quota command, scripts/wtr-tabs.mjs) until
// IndexedDB aborts a transaction with QuotaExceededError.
//
// The engine runs in a tab of an origin no other test uses (127.0.0.1 instead of localhost):
// Chromium's IndexedDB caches how much space an origin has left for up to 30 s
// (BucketContext::kBucketSpaceCacheTimeLimit), so a quota shrunk after the origin last wrote
// would only be noticed that much later.

const MiB = 1024 * 1024;

async function call<K extends keyof QuotaApi>(
  tab: string,
  method: K,
  ...args: Parameters<QuotaApi[K]>
): Promise<Awaited<ReturnType<QuotaApi[K]>>> {
  const expression = `window.millraceQuota[${JSON.stringify(method)}](...${JSON.stringify(args)})`;
  const answer = await executeServerCommand<
    { value: Awaited<ReturnType<QuotaApi[K]>> },
    { tab: string; expression: string }
  >('eval-in-tab', { tab, expression });
  return answer!.value;
}

const setQuota = (origin: string, quotaSize?: number) =>
  executeServerCommand<string, { origin: string; quotaSize?: number }>('storage-quota', {
    origin,
    ...(quotaSize === undefined ? {} : { quotaSize }),
  });

describe('IndexedDB store in Chromium, at the origin quota', () => {
  it('a real QuotaExceededError fails the run with E_STORE_QUOTA and loses no stored event; with room again the run continues', async function () {
    this.timeout(60_000);
    const origin = `http://127.0.0.1:${location.port}`;
    const db = `millrace-quota-${Math.random().toString(36).slice(2)}`;
    const url = `${origin}${new URL('./quota-error-page.html', import.meta.url).pathname}?db=${db}`;
    const tab = await executeServerCommand<string, { url: string }>('open-tab', { url });
    const runId = 'run-growing';
    try {
      // Room for 2 MiB more than the origin holds; the run would store 6 MiB.
      await setQuota(origin, (await call(tab, 'usage')) + 2 * MiB);
      const { failure, published, stored, logged } = await call(tab, 'fill', runId);

      expect(failure?.code, failure?.message).to.equal('E_STORE_QUOTA');
      expect(failure?.details, 'where: the run').to.deep.equal({ runId });
      expect(failure?.message).to.contain(`run "${runId}"`);
      expect(failure?.causeName, 'the platform error').to.equal('QuotaExceededError');
      expect(logged.join('\n')).to.contain(`Run ${runId} stopped`);
      // The quota stopped it midway, not at its first write.
      const succeeded = published.filter((e) => e.type === 'NodeSucceeded').length;
      expect(succeeded).to.be.within(1, NODES - 2);
      // Every event the engine reported stored is there, and nothing of the failed append.
      expect(stored).to.deep.equal(published);
      const reopened = await call(tab, 'reopen', runId);
      expect(reopened.events, 'after reopening the database').to.deep.equal(published);
      expect(reopened.lastSeq).to.equal(published.at(-1)!.seq);

      // Room again: the store works. The stopped run continues from its log (the node whose
      // success did not fit runs again), and a new run completes.
      await setQuota(origin);
      const after = await call(tab, 'goOn', runId);
      expect(after.recovered).to.deep.equal([runId]);
      expect(after.output).to.equal(NODES - 1);
      expect(after.events.slice(0, published.length), 'the log goes on').to.deep.equal(published);
      expect(after.events.filter((e) => e.type === 'NodeSucceeded')).to.have.length(NODES);
      expect(after.fresh).to.equal(NODES - 1);
    } finally {
      await setQuota(origin);
      await call(tab, 'drop');
      await executeServerCommand('close-tab', { tab, how: 'close' });
    }
  });
});
