// The calendar shows every time in the practice's time zone, whatever the
// computer's own zone is. The calendar component only knows fixed UTC
// offsets, so it is fed "floating" wall-clock times ("2026-03-10T09:00:00")
// in the practice's zone and hands back Dates whose local fields are that
// wall clock. These helpers convert between such wall clocks and the UTC
// instants (RFC 3339) the backend speaks.

/** A wall-clock time in the practice's zone. Month is 1–12. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * The zone to show the calendar in. A practice without a time zone set
 * runs on the computer's own ("Local" from the backend): that is the
 * browser's zone too.
 */
export function usableZone(zone: string): string {
  let usable = usableZones.get(zone);
  if (usable === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      usable = zone;
    } catch {
      usable = Intl.DateTimeFormat().resolvedOptions().timeZone;
    }
    usableZones.set(zone, usable);
  }
  return usable;
}

const usableZones = new Map<string, string>();

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock in zone at an instant. */
export function wallClockAt(instant: Date, zone: string): WallClock {
  // formatToParts is slow (a week of 900 appointments asks it 1,800 times),
  // and a week's sessions start and end at a few hundred distinct instants.
  const key = `${zone} ${instant.getTime()}`;
  const known = wallClocks.get(key);
  if (known) return { ...known };
  const p: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const w = { year: p.year, month: p.month, day: p.day, hour: p.hour % 24, minute: p.minute };
  if (wallClocks.size >= 20_000) wallClocks.clear();
  wallClocks.set(key, w);
  return { ...w };
}

const wallClocks = new Map<string, WallClock>();

/** Minutes zone is ahead of UTC at an instant. */
export function offsetMinutes(instant: Date, zone: string): number {
  const w = wallClockAt(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

/** "+05:30" / "-06:00": the offset the calendar component uses for "now" and "today". */
export function offsetString(instant: Date, zone: string): string {
  const m = offsetMinutes(instant, zone);
  const abs = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant a wall clock in zone stands for. In the hour skipped in
 * spring the later offset wins; in the repeated autumn hour, the first.
 */
export function instantOf(w: WallClock, zone: string): Date {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const first = asUtc - offsetMinutes(new Date(asUtc), zone) * 60_000;
  const second = asUtc - offsetMinutes(new Date(first), zone) * 60_000;
  // Prefer the earlier of two readings that both show this wall clock.
  const candidates = [first, second].filter((t) => sameWall(wallClockAt(new Date(t), zone), w));
  return new Date(candidates.length ? Math.min(...candidates) : second);
}

function sameWall(a: WallClock, b: WallClock): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2026-03-10T09:00:00", the floating form the calendar component displays as-is. */
export function floating(w: WallClock): string {
  return `${dateKey(w)}T${pad(w.hour)}:${pad(w.minute)}:00`;
}

/** "2026-03-10" */
export function dateKey(w: Pick<WallClock, 'year' | 'month' | 'day'>): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** "09:05" */
export function clockKey(w: Pick<WallClock, 'hour' | 'minute'>): string {
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

/** An RFC 3339 instant as a floating wall clock in zone, or null when it is not a time. */
export function toFloating(rfc3339: string, zone: string): string | null {
  const t = new Date(rfc3339);
  if (!rfc3339 || Number.isNaN(t.getTime())) return null;
  return floating(wallClockAt(t, zone));
}

/** The wall clock a Date from the calendar component stands for (its local fields). */
export function wallOfLocal(d: Date): WallClock {
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
  };
}

/** A Date from the calendar component as the UTC instant (RFC 3339) it means in zone. */
export function instantOfLocal(d: Date, zone: string): string {
  return instantOf(wallOfLocal(d), zone).toISOString();
}

/** Parses "YYYY-MM-DD" and "HH:MM" typed in a form; null when either is not valid. */
export function parseWall(date: string, time: string): WallClock | null {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const tm = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!dm || !tm) return null;
  const w = { year: +dm[1], month: +dm[2], day: +dm[3], hour: +tm[1], minute: +tm[2] };
  const check = new Date(Date.UTC(w.year, w.month - 1, w.day));
  if (check.getUTCMonth() !== w.month - 1 || w.hour > 23 || w.minute > 59) return null;
  return w;
}

/** The wall clock n days after w's date (same time of day). */
export function addDays(w: WallClock, n: number): WallClock {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + n));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of the week of a wall clock's date, 0 = Sunday. */
export function weekdayOf(w: Pick<WallClock, 'year' | 'month' | 'day'>): number {
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
}

/** Minutes after midnight of "HH:MM", or null. */
export function clockMinutes(s: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m || +m[1] > 23 || +m[2] > 59) return null;
  return +m[1] * 60 + +m[2];
}

/** Go's zero time: how "no time" crosses to the backend (an empty string does not parse there). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A Go zero time means "none". */
export function isZeroTime(rfc3339: string): boolean {
  return !rfc3339 || rfc3339.startsWith('0001-01-01');
}

/** The first of the month n months after w's. */
export function addMonths(w: WallClock, n: number): WallClock {
  const d = new Date(Date.UTC(w.year, w.month - 1 + n, 1));
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: 1 };
}

/** Today's date ("YYYY-MM-DD") in zone. */
export function todayIn(zone: string): string {
  return dateKey(wallClockAt(new Date(), zone));
}
