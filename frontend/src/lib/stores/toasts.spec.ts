import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import { rejection } from '../../test/factories';
import { reportError } from './errors';
import { toasts, ToastStore } from './toasts.svelte';

describe('ToastStore', () => {
  afterEach(() => vi.useRealTimers());

  it('adds and dismisses', () => {
    const t = new ToastStore();
    const id = t.error('Could not save.');
    t.info('Hello', { detail: 'x' });
    expect(t.items.map((x) => x.message)).toEqual(['Could not save.', 'Hello']);
    t.dismiss(id);
    expect(t.items.map((x) => x.message)).toEqual(['Hello']);
  });

  it('lets info and success disappear by themselves, errors stay', () => {
    vi.useFakeTimers();
    const t = new ToastStore();
    t.success('Saved.');
    t.error('Failed.');
    vi.advanceTimersByTime(10_000);
    expect(t.items.map((x) => x.message)).toEqual(['Failed.']);
  });

  it('shows the newest three passing messages, and every error', () => {
    const t = new ToastStore();
    t.error('Could not book.');
    for (const m of ['One.', 'Two.', 'Three.', 'Four.', 'Five.']) t.success(m);
    t.error('Could not move.');
    t.info('Six.');
    expect(t.items.map((x) => x.message)).toEqual(['Could not book.', 'Four.', 'Five.', 'Could not move.', 'Six.']);
  });
});

describe('reportError', () => {
  afterEach(() => toasts.clear());

  it('toasts errors without fields', () => {
    const e = reportError(rejection('conflict', 'That username is taken.'));
    expect(e.code).toBe('conflict');
    expect(toasts.items.map((x) => x.message)).toEqual(['That username is taken.']);
  });

  it('leaves field errors to the form', () => {
    const e = reportError(rejection('invalid', 'Please correct the highlighted fields.', { name: 'Required.' }));
    expect(e.fields.name).toBe('Required.');
    expect(toasts.items).toEqual([]);
  });

  it('leaves "locked" to the lock screen and inline codes to the caller', () => {
    reportError(new ApiError('locked', 'Locked.'));
    reportError(new ApiError('wrong_password', 'Wrong.'), ['wrong_password']);
    expect(toasts.items).toEqual([]);
  });
});
