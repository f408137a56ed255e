import { describe, expect, it } from 'vitest';
import { joinList, splitList } from './practice.svelte';

describe('comma lists', () => {
  it('splits and trims', () => {
    expect(splitList(' anxiety, couples ,, trauma ')).toEqual(['anxiety', 'couples', 'trauma']);
    expect(splitList('')).toEqual([]);
    expect(joinList(['English', 'Spanish'])).toBe('English, Spanish');
    expect(joinList(null)).toBe('');
  });
});
