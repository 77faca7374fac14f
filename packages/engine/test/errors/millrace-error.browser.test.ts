import { expect } from '@open-wc/testing';
import { MillraceError } from '@millrace/engine';

describe('MillraceError in a browser', () => {
  it('crosses postMessage as plain data and is rebuilt with its code', async () => {
    const err = new MillraceError('E_FLOW_NOT_FOUND', 'No flow "x" is deployed', { path: '/id' });
    const channel = new MessageChannel();
    const received = new Promise<unknown>((resolve) => {
      channel.port2.onmessage = (e: MessageEvent) => resolve(e.data);
    });
    channel.port1.postMessage(err.toJSON());
    const back = MillraceError.fromJSON((await received) as ReturnType<MillraceError['toJSON']>);
    channel.port1.close();
    channel.port2.close();
    expect(back.code).to.equal('E_FLOW_NOT_FOUND');
    expect(back.path).to.equal('/id');
    expect(back.family).to.equal('host');
  });
});
