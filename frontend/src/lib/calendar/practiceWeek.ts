// The practice-wide week as a front desk reads it: a row per clinician, a
// column per day, each day's appointments listed in time order. The time
// grid with a column per clinician and day (175 columns for 25 clinicians)
// took seconds to draw; this layout draws the same appointments as a few
// thousand plain elements, every one of them reachable.

import type { TimeOff, WorkingHours } from '../api';
import type { DrawnEvent } from './events';
import { addDays, clockKey, dateKey, parseWall, toFloating, weekdayOf, type WallClock } from './zone';

/** The seven days ("YYYY-MM-DD") of the Monday-first week that holds anchor; [] when anchor is not a date. */
export function weekOf(anchor: string): string[] {
  const at = parseWall(anchor, '00:00');
  if (!at) return [];
  const monday = addDays(at, -((weekdayOf(at) + 6) % 7));
  return Array.from({ length: 7 }, (_, i) => dateKey(addDays(monday, i)));
}

/** One clinician's day: their appointments in time order, whether they work, what time off falls on it. */
export interface WeekCell {
  day: string;
  appointments: DrawnEvent[];
  /** Whether the clinician has working hours on this weekday (at the location filtered on, if any). */
  working: boolean;
  /** Time off on this day, e.g. "Away 09:00–12:00" or "Away all day". */
  timeOff: string[];
}

/**
 * The week's cells, by clinician then in day order. Appointments are the
 * drawn events (appointmentEvents) without resource columns: each goes to
 * its clinician's row and its start's day; one outside the week or of a
 * clinician not shown is left out.
 */
export function weekCells(
  days: readonly string[],
  clinicianIds: readonly string[],
  appointments: readonly DrawnEvent[],
  clinicianOf: (d: DrawnEvent) => string,
  hours: readonly WorkingHours[],
  locationId: string,
  timeOff: readonly TimeOff[],
  zone: string,
): Map<string, WeekCell[]> {
  const rows = new Map<string, WeekCell[]>();
  for (const cid of clinicianIds) {
    const worksOn = new Set(
      hours.filter((h) => h.clinicianId === cid && (!locationId || h.locationId === locationId)).map((h) => h.weekday),
    );
    rows.set(
      cid,
      days.map((day) => ({
        day,
        appointments: [],
        working: worksOn.has(weekdayOf(parseWall(day, '00:00') ?? { year: 1970, month: 1, day: 1 })),
        timeOff: [],
      })),
    );
  }
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  for (const a of appointments) {
    const i = dayIndex.get(a.start.slice(0, 10));
    const cell = i === undefined ? undefined : rows.get(clinicianOf(a))?.[i];
    cell?.appointments.push(a);
  }
  for (const cells of rows.values()) {
    for (const c of cells) c.appointments.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  }
  for (const o of timeOff) {
    const cells = rows.get(o.clinicianId);
    const start = toFloating(o.start, zone);
    const end = toFloating(o.end, zone);
    if (!cells || !start || !end || end <= start) continue;
    const what = o.kind === 'blocked' ? 'Blocked' : 'Away';
    for (const c of cells) {
      const from = `${c.day}T00:00:00`;
      const next = parseWall(c.day, '00:00');
      const to = next ? `${dateKey(addDays(next, 1))}T00:00:00` : from;
      if (start >= to || end <= from) continue;
      const s = start > from ? start.slice(11, 16) : '';
      const e = end < to ? end.slice(11, 16) : '';
      c.timeOff.push(!s && !e ? `${what} all day` : `${what} ${s || '00:00'}–${e || '24:00'}`);
    }
  }
  return rows;
}

/**
 * Where a drop on day puts an appointment drawn at [start, end): the same
 * time of day and length on the new day, as Dates whose local fields are
 * the practice's wall clock (what the schedule's drag handling takes).
 */
export function movedToDay(start: string, end: string, day: string): { start: Date; end: Date } | null {
  const from = parseWall(start.slice(0, 10), start.slice(11, 16));
  const to = parseWall(end.slice(0, 10), end.slice(11, 16));
  const target = from && parseWall(day, clockKey(from));
  if (!from || !to || !target) return null;
  const minutes = (utcOf(to) - utcOf(from)) / 60_000;
  const { year, month, day: d, hour, minute } = target;
  return {
    start: new Date(year, month - 1, d, hour, minute),
    end: new Date(year, month - 1, d, hour, minute + minutes),
  };
}

function utcOf(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
}

/**
 * The start of an appointment as the week's narrow day columns write it:
 * "8am", "1:30pm" on a 12-hour clock, "08:00" and "13:30" on a 24-hour one.
 */
export function shortTime(floating: string, clock: '12h' | '24h'): string {
  const hour = Number(floating.slice(11, 13));
  const minute = floating.slice(14, 16);
  if (clock === '24h') return `${floating.slice(11, 13)}:${minute}`;
  return `${hour % 12 || 12}${minute === '00' ? '' : `:${minute}`}${hour < 12 ? 'am' : 'pm'}`;
}
