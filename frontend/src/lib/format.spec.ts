import { describe, expect, it } from 'vitest';
import { ageOn, formatDate, listName, orDash } from './format';
import { groupKey } from './screens/recovery';

describe('format', () => {
  it('formats dates of birth without time-zone drift', () => {
    expect(formatDate('1985-03-04')).toBe('Mar 4, 1985');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('computes ages', () => {
    expect(ageOn('2000-06-15', new Date(2025, 5, 14))).toBe(24);
    expect(ageOn('2000-06-15', new Date(2025, 5, 15))).toBe(25);
    expect(ageOn('')).toBeNull();
  });

  it('names and dashes', () => {
    expect(listName('Ana', 'Ruiz')).toBe('Ruiz, Ana');
    expect(orDash('  ')).toBe('—');
  });

  it('groups recovery keys', () => {
    expect(groupKey('ABCD-EFGH-IJKL')).toEqual(['ABCD', 'EFGH', 'IJKL']);
    expect(groupKey('ABCDEFGHIJ')).toEqual(['ABCD', 'EFGH', 'IJ']);
    expect(groupKey('')).toEqual([]);
  });
});
