import { describe, expect, it } from 'vitest';
import { usableZone, instantOf, offsetString, parseWall, toFloating, wallClockAt, weekdayOf } from './zone';

const NY = 'America/New_York';

describe('zone', () => {
  it('shows a UTC instant as the wall clock of the practice zone', () => {
    expect(toFloating('2026-03-10T14:00:00Z', NY)).toBe('2026-03-10T10:00:00');
    expect(toFloating('2026-01-10T14:00:00Z', NY)).toBe('2026-01-10T09:00:00');
    expect(toFloating('not a time', NY)).toBeNull();
  });

  it('turns a wall clock back into the instant, across daylight saving', () => {
    expect(instantOf({ year: 2026, month: 3, day: 10, hour: 10, minute: 0 }, NY).toISOString()).toBe(
      '2026-03-10T14:00:00.000Z',
    );
    expect(instantOf({ year: 2026, month: 1, day: 10, hour: 9, minute: 0 }, NY).toISOString()).toBe(
      '2026-01-10T14:00:00.000Z',
    );
    // The repeated autumn hour: the first 01:30 (still daylight time).
    expect(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY).toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('round-trips a wall clock', () => {
    const w = { year: 2026, month: 7, day: 4, hour: 16, minute: 45 };
    expect(wallClockAt(instantOf(w, NY), NY)).toEqual(w);
  });

  it('gives the offset the calendar component needs', () => {
    expect(offsetString(new Date('2026-07-01T12:00:00Z'), NY)).toBe('-04:00');
    expect(offsetString(new Date('2026-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe('+05:30');
  });

  it('falls back to the computer’s zone when the practice has none', () => {
    expect(usableZone('America/Chicago')).toBe('America/Chicago');
    expect(usableZone('Local')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('parses typed dates and times, refusing impossible ones', () => {
    expect(parseWall('2026-02-29', '09:00')).toBeNull();
    expect(parseWall('2028-02-29', '9:30')).toEqual({ year: 2028, month: 2, day: 29, hour: 9, minute: 30 });
    expect(weekdayOf({ year: 2026, month: 11, day: 24 })).toBe(2);
  });
});
