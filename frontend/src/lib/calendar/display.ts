// How calendar times and money read on screen, always in the practice's zone
// and with the practice's clock (12- or 24-hour).

import { hourOptions, practiceClock } from '../clock.svelte';

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(zone: string, kind: 'dayTime' | 'time' | 'day'): Intl.DateTimeFormat {
  const key = `${zone}|${kind}|${practiceClock()}`;
  let f = cache.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: 'numeric', minute: '2-digit', ...hourOptions() }
        : kind === 'day'
          ? { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }
          : { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', ...hourOptions() };
    f = new Intl.DateTimeFormat('en-US', { ...opts, timeZone: zone });
    cache.set(key, f);
  }
  return f;
}

function valid(iso: string): Date | null {
  const d = new Date(iso);
  return !iso || Number.isNaN(d.getTime()) ? null : d;
}

/** "Tue, Mar 10, 9:00 AM" */
export function formatDayTime(iso: string, zone: string): string {
  const d = valid(iso);
  return d ? fmt(zone, 'dayTime').format(d) : '—';
}

/** "9:00 AM" */
export function formatTime(iso: string, zone: string): string {
  const d = valid(iso);
  return d ? fmt(zone, 'time').format(d) : '—';
}

/** "Tue, Mar 10, 9:00 – 9:50 AM" */
export function formatSpan(start: string, end: string, zone: string): string {
  return `${formatDayTime(start, zone)} – ${formatTime(end, zone)}`;
}

/** "Tuesday, March 10, 2026" for a "YYYY-MM-DD" day. */
export function formatDayKey(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return fmt('UTC', 'day').format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}

/** "Mar 10, 2026" for a "YYYY-MM-DD" day. */
export function formatShortDay(day: string): string {
  return formatDayKeyWith(day, { month: 'short', day: 'numeric', year: 'numeric' });
}

/** "March 2026" for any day of the month. */
export function formatMonth(day: string): string {
  return formatDayKeyWith(day, { month: 'long', year: 'numeric' });
}

/** A "YYYY-MM-DD" day written with opts (the day itself when it is not one). */
export function formatDayKeyWith(day: string, opts: Intl.DateTimeFormatOptions): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  return new Intl.DateTimeFormat('en-US', { ...opts, timeZone: 'UTC' }).format(
    new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])),
  );
}

/** 5000 → "$50.00" (format.ts's formatMoney). */
export { formatMoney as formatCents } from '../format';

/** "50" or "50.5" (dollars typed in a form) → cents; null when it is not an amount. */
export function dollarsToCents(s: string): number | null {
  const t = s.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}
