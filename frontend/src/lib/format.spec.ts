import { describe, expect, it } from 'vitest';
import { ageOn, decimalMoney, formatClock, formatDate, formatMoney, listName, orDash, wrapLabel } from './format';
import { groupKey } from './screens/recovery';

describe('format', () => {
  it('formats dates of birth without time-zone drift', () => {
    expect(formatDate('1985-03-04')).toBe('Mar 4, 1985');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('shows a time of day without seconds', () => {
    const local = new Date(2026, 11, 2, 16, 0, 30); // 4:00:30 PM on this machine's clock
    expect(formatClock(local.toISOString())).toBe('4:00 PM');
    expect(formatClock('soon')).toBe('soon');
  });

  it('computes ages', () => {
    expect(ageOn('2000-06-15', new Date(2025, 5, 14))).toBe(24);
    expect(ageOn('2000-06-15', new Date(2025, 5, 15))).toBe(25);
    expect(ageOn('')).toBeNull();
  });

  it('formats money one way: dollars with a sign, thousands separators and cents', () => {
    expect(formatMoney(123450)).toBe('$1,234.50');
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(-500)).toBe('-$5.00');
    expect(decimalMoney(123450)).toBe('1234.50');
    expect(decimalMoney(-5)).toBe('-0.05');
  });

  it('wraps long chart labels', () => {
    expect(wrapLabel('Lighthouse EAP')).toBe('Lighthouse EAP');
    expect(wrapLabel('Columbia Community Care (Medicaid) CO-197')).toEqual([
      'Columbia Community',
      'Care (Medicaid) CO-197',
    ]);
    expect(wrapLabel('Freya Popescu · Columbia Community Care (Medicaid)')).toEqual([
      'Freya Popescu ·',
      'Columbia Community',
      'Care (Medicaid)',
    ]);
    expect(wrapLabel('a b c d e f g h', 3, 2)).toEqual(['a b', 'c d e f g h']);
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
