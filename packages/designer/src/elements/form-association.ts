import type { Diagnostic } from '@millrace/engine/model';

/** What the form association reads from the designer element. */
export interface FormHost {
  readonly element: HTMLElement;
  readonly flow: () => unknown;
  readonly diagnostics: () => readonly Diagnostic[];
  /** Runs a pending validation now, so validity reflects the current flow. */
  readonly flushValidation: () => void;
}

/**
 * The designer as a form-associated custom element: inside a `<form>` it submits its flow as
 * JSON under its `name`, and it is invalid while the flow has errors (the first one's message).
 */
export class FormAssociation {
  private readonly internals: ElementInternals | undefined;
  /** Set by the form when a disabled fieldset holds the designer. */
  disabled = false;

  constructor(private readonly host: FormHost) {
    const element = host.element;
    this.internals =
      typeof element.attachInternals === 'function' ? element.attachInternals() : undefined;
  }

  /** Hands the form the current flow and its validity. */
  update(): void {
    const internals = this.internals;
    // Outside a form there is nothing to submit (and a 1,000-step flow takes ~15 ms to write).
    if (!internals || typeof internals.setFormValue !== 'function' || !internals.form) return;
    const flow = this.host.flow();
    internals.setFormValue(flow === undefined ? null : JSON.stringify(flow));
    const errors = flow ? this.host.diagnostics().filter((d) => d.severity === 'error') : [];
    if (errors.length > 0) internals.setValidity({ customError: true }, errors[0]!.message);
    else internals.setValidity({});
  }

  get form(): HTMLFormElement | null {
    return this.internals?.form ?? null;
  }

  get validity(): ValidityState | undefined {
    this.host.flushValidation();
    return this.internals?.validity;
  }

  get validationMessage(): string {
    this.host.flushValidation();
    return this.internals?.validationMessage ?? '';
  }

  checkValidity(): boolean {
    this.host.flushValidation();
    return this.internals?.checkValidity() ?? true;
  }

  reportValidity(): boolean {
    this.host.flushValidation();
    return this.internals?.reportValidity() ?? true;
  }
}
