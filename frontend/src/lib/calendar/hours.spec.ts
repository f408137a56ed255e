import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../api';
import { copyDay, otherWeekdays } from './hours';

const block = (id: string, weekday: number, start: string, end: string, locationId = 'main'): WorkingHours => ({
  id,
  clinicianId: 'ana',
  locationId,
  weekday,
  start,
  end,
});

describe('copyDay', () => {
  it("copies Monday's morning and afternoon to Tuesday–Friday, replacing what they had and keeping the weekend", () => {
    const week = [
      block('m1', 1, '08:00', '12:00'),
      block('m2', 1, '13:00', '18:00', 'annex'),
      block('w1', 3, '10:00', '14:00'),
      block('s1', 6, '09:00', '12:00'),
    ];
    const got = copyDay(week, 1, otherWeekdays(1));
    // Written out by hand: Monday as it was, each weekday the same two blocks (new ids), Saturday kept.
    expect(got.map((b) => `${b.weekday} ${b.start}-${b.end} ${b.locationId} ${b.id}`)).toEqual([
      '1 08:00-12:00 main m1',
      '1 13:00-18:00 annex m2',
      '2 08:00-12:00 main ',
      '2 13:00-18:00 annex ',
      '3 08:00-12:00 main ',
      '3 13:00-18:00 annex ',
      '4 08:00-12:00 main ',
      '4 13:00-18:00 annex ',
      '5 08:00-12:00 main ',
      '5 13:00-18:00 annex ',
      '6 09:00-12:00 main s1',
    ]);
  });

  it('copying a day with no hours clears the others (a clinician who works no weekdays)', () => {
    const week = [block('t1', 2, '08:00', '12:00'), block('s1', 0, '10:00', '12:00')];
    expect(copyDay(week, 1, otherWeekdays(1)).map((b) => b.id)).toEqual(['s1']);
  });

  it('the other weekdays of a weekend day are all five', () => {
    expect(otherWeekdays(6)).toEqual([1, 2, 3, 4, 5]);
    expect(otherWeekdays(3)).toEqual([1, 2, 4, 5]);
  });
});
