import { expect, fixture, html } from '@open-wc/testing';
import { FlowDesignerBase, defineFlowDesigner } from '@millrace/designer';
import '@millrace/designer/define';

describe('<flow-designer>', () => {
  it('renders the name of its flow in its shadow root', async () => {
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer
        .flow=${{ id: 'a', name: 'Expense approval', nodes: [{}, {}] }}
      ></flow-designer>`,
    );
    const header = el.shadowRoot!.querySelector('header');
    expect(header?.textContent?.trim()).to.equal('Expense approval');
    expect(el.shadowRoot!.textContent).to.contain('2 nodes');
    expect(el.shadowRoot!.querySelector('[part=canvas]')?.getAttribute('aria-label')).to.equal(
      'Expense approval',
    );
  });

  it('updates when the flow property changes', async () => {
    const el = await fixture<FlowDesignerBase>(html`<flow-designer></flow-designer>`);
    expect(el.shadowRoot!.textContent).to.contain('No flow loaded.');
    el.flow = { name: 'Nightly sync' };
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('header')?.textContent?.trim()).to.equal('Nightly sync');
  });

  it('uses replaced strings', async () => {
    const el = await fixture<FlowDesignerBase>(
      html`<flow-designer .strings=${{ noFlow: 'Kein Ablauf.' }}></flow-designer>`,
    );
    expect(el.shadowRoot!.textContent).to.contain('Kein Ablauf.');
  });

  it('registers under a second tag as a distinct subclass', async () => {
    const Second = defineFlowDesigner('acme-flow-designer');
    expect(Second).to.not.equal(customElements.get('flow-designer'));
    expect(defineFlowDesigner('acme-flow-designer')).to.equal(Second);
    const el = await fixture<FlowDesignerBase>(
      html`<acme-flow-designer .flow=${{ name: 'Two' }}></acme-flow-designer>`,
    );
    expect(el).to.be.instanceOf(FlowDesignerBase);
    expect(el.shadowRoot!.querySelector('header')?.textContent?.trim()).to.equal('Two');
  });

  it('refuses a tag taken by another element', () => {
    customElements.define('taken-tag', class extends HTMLElement {});
    expect(() => defineFlowDesigner('taken-tag')).to.throw(/already taken/);
  });
});
