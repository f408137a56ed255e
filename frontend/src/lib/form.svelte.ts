import { tick } from 'svelte';
import type { ApiError, ErrorCode, FieldErrors } from './api';
import { reportError } from './stores/errors';

/** After a failed save, moves focus (and the view) to the first field marked invalid. */
export async function focusFirstInvalid(root: ParentNode = document): Promise<void> {
  await tick();
  const el = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (el) {
    el.focus();
    el.scrollIntoView?.({ block: 'center' });
  }
}

/** A deep, non-reactive copy of a value, to edit as a draft without touching the original. */
export function clone<T>(value: T): T {
  const snap: unknown = $state.snapshot(value);
  return structuredClone(snap) as T;
}

export interface SubmitOptions {
  /** Codes the form shows itself (no toast), e.g. "conflict" for a duplicate. */
  expected?: readonly ErrorCode[];
  /** Whether the error's message goes in the banner above the form; default: when it has field problems. */
  bannerFor?: (ae: ApiError) => boolean;
  /** Rewrites the field problems before they are shown (e.g. strips a prefix). */
  fields?: (fields: FieldErrors) => FieldErrors;
}

/** The failure state a form shows (per-field errors, a banner, a busy flag) and how it submits. */
export class FormState {
  errors = $state<FieldErrors>({});
  banner = $state('');
  busy = $state(false);

  /** Clears errors and the banner, e.g. when a dialog opens. */
  reset(): void {
    this.errors = {};
    this.banner = '';
  }

  /**
   * Runs a save: clears the old errors, is busy while the action runs, and on
   * failure reports the error (a toast unless it is expected or has field
   * problems), marks the fields, focuses the first invalid one and sets the
   * banner. Returns whether the action succeeded.
   */
  async submit(action: () => Promise<void>, opts: SubmitOptions = {}): Promise<boolean> {
    this.reset();
    this.busy = true;
    try {
      await action();
      return true;
    } catch (err) {
      const ae = reportError(err, opts.expected);
      this.errors = opts.fields ? opts.fields(ae.fields) : ae.fields;
      void focusFirstInvalid();
      if ((opts.bannerFor ?? hasFields)(ae)) this.banner = ae.message;
      return false;
    } finally {
      this.busy = false;
    }
  }
}

function hasFields(ae: ApiError): boolean {
  return ae.hasFields;
}

/** Banner rule for forms that also explain a conflict (e.g. a duplicate) above the fields. */
export function fieldsOrConflict(ae: ApiError): boolean {
  return ae.hasFields || ae.code === 'conflict';
}
