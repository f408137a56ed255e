import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api';
import { Draft, FormState, clone, fieldsOrConflict, focusFirstInvalid } from './form.svelte';
import { toasts } from './stores/toasts.svelte';

const invalid = () => new ApiError('invalid', 'Please correct the highlighted fields.', { name: 'Add a name.' });
const conflict = () => new ApiError('conflict', 'That name is already taken.');

describe('FormState', () => {
  beforeEach(() => {
    toasts.clear();
    document.body.innerHTML = '';
  });

  it('clears old errors, is busy while saving, and returns true on success', async () => {
    const form = new FormState();
    form.errors = { name: 'old' };
    form.banner = 'old';
    let busyDuring = false;
    const ok = await form.submit(() => {
      busyDuring = form.busy;
      expect(form.errors).toEqual({});
      expect(form.banner).toBe('');
      return Promise.resolve();
    });
    expect(ok).toBe(true);
    expect(busyDuring).toBe(true);
    expect(form.busy).toBe(false);
    expect(toasts.items).toHaveLength(0);
  });

  it('shows field problems and their banner without a toast', async () => {
    const form = new FormState();
    const ok = await form.submit(() => Promise.reject(invalid()));
    expect(ok).toBe(false);
    expect(form.busy).toBe(false);
    expect(form.errors).toEqual({ name: 'Add a name.' });
    expect(form.banner).toBe('Please correct the highlighted fields.');
    expect(toasts.items).toHaveLength(0);
  });

  it('toasts an unexpected error and leaves the banner empty by default', async () => {
    const form = new FormState();
    expect(await form.submit(() => Promise.reject(conflict()))).toBe(false);
    expect(form.banner).toBe('');
    expect(form.errors).toEqual({});
    expect(toasts.items.map((t) => t.message)).toEqual(['That name is already taken.']);
  });

  it('keeps expected codes out of toasts and applies the banner rule', async () => {
    const form = new FormState();
    await form.submit(() => Promise.reject(conflict()), { expected: ['conflict'], bannerFor: fieldsOrConflict });
    expect(form.banner).toBe('That name is already taken.');
    expect(toasts.items).toHaveLength(0);
  });

  it('rewrites field keys when asked', async () => {
    const form = new FormState();
    const err = new ApiError('invalid', 'Fix it.', { 'account.username': 'Taken.' });
    await form.submit(() => Promise.reject(err), {
      fields: (f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k.replace(/^account\./, ''), v])),
    });
    expect(form.errors).toEqual({ username: 'Taken.' });
  });

  it('focuses the first invalid field after a failure', async () => {
    document.body.innerHTML = '<input id="a"><input id="b" aria-invalid="true"><input id="c" aria-invalid="true">';
    const form = new FormState();
    await form.submit(() => Promise.reject(invalid()));
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('b'));
  });

  it('reset clears errors and banner', () => {
    const form = new FormState();
    form.errors = { name: 'x' };
    form.banner = 'y';
    form.reset();
    expect(form.errors).toEqual({});
    expect(form.banner).toBe('');
  });
});

describe('focusFirstInvalid', () => {
  it('does nothing when no field is invalid', async () => {
    document.body.innerHTML = '<input id="a">';
    await expect(focusFirstInvalid()).resolves.toBeUndefined();
    expect(document.activeElement).toBe(document.body);
  });
});

describe('clone', () => {
  it('returns a deep copy', () => {
    const orig = { a: { b: 1 } };
    const copy = clone(orig);
    copy.a.b = 2;
    expect(orig.a.b).toBe(1);
  });
});

describe('Draft', () => {
  it('keeps what the person chose when the same record reloads, and starts over on another record', () => {
    let saved = { key: 'claim-1', value: 'A100' };
    const draft = new Draft(() => saved);
    expect(draft.value).toBe('A100');
    expect(draft.dirty).toBe(false);

    draft.value = 'B200';
    saved = { key: 'claim-1', value: 'A100' }; // the same claim, reloaded (a new object)
    expect(draft.value).toBe('B200');
    expect(draft.dirty).toBe(true);

    saved = { key: 'claim-2', value: 'C300' }; // another claim opened
    expect(draft.value).toBe('C300');
    expect(draft.dirty).toBe(false);

    saved = { key: 'claim-1', value: 'B200' }; // back, now saved
    draft.reset();
    expect(draft.value).toBe('B200');
  });
});
