import { afterEach, describe, expect, it } from 'vitest';
import { THEME_KEY, ThemeStore } from './theme.svelte';

describe('ThemeStore', () => {
  afterEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset.theme;
  });

  it('follows the system until the user picks', () => {
    const t = new ThemeStore();
    expect(document.documentElement.dataset.theme).toBe('light');
    t.systemDark = true;
    expect(t.effective).toBe('dark');
    t.set(null);
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('toggles and remembers the choice', () => {
    const t = new ThemeStore();
    t.systemDark = false;
    t.toggle();
    expect(t.effective).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(new ThemeStore().choice).toBe('dark');
    t.toggle();
    expect(localStorage.getItem(THEME_KEY)).toBe('light');
  });

  it('can go back to following the system', () => {
    const t = new ThemeStore();
    t.systemDark = false;
    t.set('dark');
    t.set(null);
    expect(localStorage.getItem(THEME_KEY)).toBeNull();
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
