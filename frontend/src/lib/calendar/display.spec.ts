import { afterEach, describe, expect, it } from 'vitest';
import { setPracticeClock } from '../clock.svelte';
import { dollarsToCents, formatCents, formatDayKey, formatSpan, formatTime } from './display';

describe('display', () => {
  it('shows times in the practice zone', () => {
    expect(formatSpan('2026-03-10T16:00:00Z', '2026-03-10T16:50:00Z', 'America/Los_Angeles')).toBe(
      'Tue, Mar 10, 9:00 AM – 9:50 AM',
    );
    expect(formatDayKey('2026-03-10')).toBe('Tuesday, March 10, 2026');
  });

  describe('with the 24-hour clock', () => {
    afterEach(() => setPracticeClock(''));
    it('writes times as the backend does on the day sheet and in messages', () => {
      setPracticeClock('24h');
      expect(formatSpan('2026-03-10T20:00:00Z', '2026-03-10T20:50:00Z', 'America/Los_Angeles')).toBe(
        'Tue, Mar 10, 13:00 – 13:50',
      );
      expect(formatTime('2026-03-10T16:05:00Z', 'America/Los_Angeles')).toBe('09:05');
      setPracticeClock('12h');
      expect(formatTime('2026-03-10T16:05:00Z', 'America/Los_Angeles')).toBe('9:05 AM');
    });
  });

  it('turns dollars into cents and back', () => {
    expect(dollarsToCents('$75')).toBe(7500);
    expect(dollarsToCents('49.5')).toBe(4950);
    expect(dollarsToCents('ten')).toBeNull();
    expect(formatCents(7500)).toBe('$75.00');
  });
});
