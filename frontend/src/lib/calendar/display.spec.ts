import { describe, expect, it } from 'vitest';
import { dollarsToCents, formatCents, formatDayKey, formatSpan } from './display';

describe('display', () => {
  it('shows times in the practice zone', () => {
    expect(formatSpan('2026-03-10T16:00:00Z', '2026-03-10T16:50:00Z', 'America/Los_Angeles')).toBe(
      'Tue, Mar 10, 9:00 AM – 9:50 AM',
    );
    expect(formatDayKey('2026-03-10')).toBe('Tuesday, March 10, 2026');
  });

  it('turns dollars into cents and back', () => {
    expect(dollarsToCents('$75')).toBe(7500);
    expect(dollarsToCents('49.5')).toBe(4950);
    expect(dollarsToCents('ten')).toBeNull();
    expect(formatCents(7500)).toBe('$75.00');
  });
});
