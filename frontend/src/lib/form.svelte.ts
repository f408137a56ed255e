import { tick } from 'svelte';
import type { ApiError, ErrorCode, FieldErrors } from './api';
import { reportError } from './stores/errors';
import { toasts } from './stores/toasts.svelte';

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
  /** Rewrites the field problems before they are shown (e.g. strips a prefix, or puts a code on a field). */
  fields?: (fields: FieldErrors, err: ApiError) => FieldErrors;
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

  /** Shows problems found before asking the backend (e.g. two passwords that differ); returns whether there were any. */
  reject(problems: FieldErrors | null): boolean {
    this.reset();
    if (!problems || Object.keys(problems).length === 0) return false;
    this.errors = problems;
    void focusFirstInvalid();
    return true;
  }

  /**
   * Runs a save: clears the old errors, is busy while the action runs, and on
   * failure reports the error (a toast unless it is expected or has field
   * problems), marks the fields, focuses the first invalid one and sets the
   * banner. Returns whether the action succeeded.
   */
  async submit(action: () => Promise<unknown>, opts: SubmitOptions = {}): Promise<boolean> {
    this.reset();
    this.busy = true;
    try {
      await action();
      return true;
    } catch (err) {
      const ae = reportError(err, opts.expected);
      this.errors = opts.fields ? opts.fields(ae.fields, ae) : ae.fields;
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

/**
 * The edit dialog of a record list: whether it is open, the draft (a copy of
 * the record, or a new one) and the form state. Used with EditDialog.svelte.
 */
export class RecordEditor<T> {
  open = $state(false);
  draft = $state<T | null>(null);
  readonly form = new FormState();

  /** Opens the dialog on a copy of the record (or on a new, blank one). */
  edit(record: T): void {
    this.draft = clone(record);
    this.form.reset();
    this.open = true;
  }

  close(): void {
    this.open = false;
  }

  /**
   * Saves a snapshot of the draft; on success closes the dialog and shows the
   * `saved` toast, on failure the form shows the problems (FormState.submit).
   * `check` finds problems before the save is tried.
   */
  async save(
    save: (draft: T) => Promise<unknown>,
    opts: SubmitOptions & { saved?: string; check?: (draft: T) => FieldErrors | null } = {},
  ): Promise<boolean> {
    const d = this.draft;
    if (d === null) return false;
    const draft = $state.snapshot(d) as T;
    if (opts.check && this.form.reject(opts.check(draft))) return false;
    return this.form.submit(async () => {
      await save(draft);
      this.open = false;
      if (opts.saved) toasts.success(opts.saved);
    }, opts);
  }
}

/**
 * One field's value that follows a saved value until the person edits it.
 * A reload of the saved value (another computer's save, a second load still
 * in flight) keeps what the person chose; a different record (another key)
 * starts from its own saved value.
 */
export class Draft<T> {
  #edited = $state<{ key: string; value: T } | null>(null);

  /** saved gives the record's key and its saved value; it is read reactively. */
  constructor(private readonly saved: () => { key: string; value: T }) {}

  get value(): T {
    const s = this.saved();
    return this.#edited !== null && this.#edited.key === s.key ? this.#edited.value : s.value;
  }

  set value(v: T) {
    this.#edited = { key: this.saved().key, value: v };
  }

  /** Whether the person changed the value from the saved one. */
  get dirty(): boolean {
    return this.value !== this.saved().value;
  }

  /** Follows the saved value again, e.g. once it is saved. */
  reset(): void {
    this.#edited = null;
  }
}

/**
 * Holds back the input's form while `incomplete()` says the field holds
 * something that is not yet a value (half a date, a time that is not one):
 * its value would be '' and an optional field lost without a word. It runs
 * before the form's own submit handler (capture on the document), calls
 * `onHeld` and focuses the field; returns what removes it (for onMount).
 */
export function holdSubmitWhile(
  input: () => HTMLInputElement | null,
  incomplete: () => boolean,
  onHeld: () => void,
): () => void {
  const guard = (e: Event) => {
    const el = input();
    if (!el || e.target !== el.form || !incomplete()) return;
    onHeld();
    e.preventDefault();
    e.stopPropagation();
    el.focus();
  };
  document.addEventListener('submit', guard, true);
  return () => document.removeEventListener('submit', guard, true);
}
