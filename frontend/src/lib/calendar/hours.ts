// A clinician's regular week as the Working hours tab edits it.

import type { WorkingHours } from '../api';

/** Monday first, as a practice reads its week (weekday 0 is Sunday). */
export const mondayFirst = (a: WorkingHours, b: WorkingHours): number =>
  ((a.weekday + 6) % 7) - ((b.weekday + 6) % 7) || a.start.localeCompare(b.start);

/** The weekdays Monday to Friday other than from: where "copy to the other weekdays" copies to. */
export const otherWeekdays = (from: number): number[] => [1, 2, 3, 4, 5].filter((d) => d !== from);

/**
 * The week with day from's blocks copied to each day in to, replacing what
 * those days had (the copies are new blocks, saved with the week).
 */
export function copyDay(blocks: WorkingHours[], from: number, to: number[]): WorkingHours[] {
  const source = blocks.filter((b) => b.weekday === from);
  const kept = blocks.filter((b) => !to.includes(b.weekday));
  const copies = to.flatMap((weekday) => source.map((b) => ({ ...b, id: '', weekday })));
  return [...kept, ...copies].sort(mondayFirst);
}
