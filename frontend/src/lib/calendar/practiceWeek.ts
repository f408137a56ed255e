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
/** What weekCells draws a week from. */
export interface WeekSource {
  /** The week's days, "YYYY-MM-DD" in order. */
  days: readonly string[];
  /** The rows, in the order shown. */
  clinicianIds: readonly string[];
  appointments: readonly DrawnEvent[];
  clinicianOf: (d: DrawnEvent) => string;
  hours: readonly WorkingHours[];
  /** The location filtered on; "" for all. */
  locationId: string;
  timeOff: readonly TimeOff[];
  zone: string;
}

export function weekCells({
  days,
  clinicianIds,
  appointments,
  clinicianOf,
  hours,
  locationId,
  timeOff,
  zone,
}: WeekSource): Map<string, WeekCell[]> {
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

/** An appointment's place in the week: its clinician's row, its day and its place in the day's list. */
export interface WeekSpot {
  row: number;
  day: number;
  index: number;
}

/**
 * Where an arrow key (or Home, End) moves the focus from at, in a week
 * given as the appointment ids of each row's days: down and up through a
 * day's list and on to the same day of the next clinician who has one,
 * right and left to the nearest day with appointments in the same row.
 * null when there is nowhere to go that way.
 */
export function moveInWeek(
  week: readonly (readonly (readonly string[])[])[],
  at: WeekSpot,
  key: string,
): WeekSpot | null {
  const cell = (row: number, day: number) => week[row]?.[day] ?? [];
  const sideways = (step: 1 | -1, from: number, index: number): WeekSpot | null => {
    for (let day = from + step; day >= 0 && day < (week[at.row]?.length ?? 0); day += step) {
      const n = cell(at.row, day).length;
      if (n > 0) return { row: at.row, day, index: Math.min(index, n - 1) };
    }
    return null;
  };
  switch (key) {
    case 'ArrowDown':
      if (at.index + 1 < cell(at.row, at.day).length) return { ...at, index: at.index + 1 };
      for (let row = at.row + 1; row < week.length; row++)
        if (cell(row, at.day).length) return { row, day: at.day, index: 0 };
      return null;
    case 'ArrowUp':
      if (at.index > 0) return { ...at, index: at.index - 1 };
      for (let row = at.row - 1; row >= 0; row--) {
        const n = cell(row, at.day).length;
        if (n) return { row, day: at.day, index: n - 1 };
      }
      return null;
    case 'ArrowRight':
      return sideways(1, at.day, at.index);
    case 'ArrowLeft':
      return sideways(-1, at.day, at.index);
    case 'Home':
      return sideways(1, -1, 0);
    case 'End': {
      const last = sideways(-1, week[at.row]?.length ?? 0, 0);
      return last && { ...last, index: cell(last.row, last.day).length - 1 };
    }
    default:
      return null;
  }
}
