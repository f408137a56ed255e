import { hourOptions, practiceClock } from './clock.svelte';

const dateFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });

// Made once per clock (lists format a row at a time): they follow the
// practice's clock, which may change.
const byClock = new Map<string, Intl.DateTimeFormat>();
function withClock(kind: 'dateTime' | 'clock'): Intl.DateTimeFormat {
  const key = `${kind}|${practiceClock()}`;
  let f = byClock.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      kind === 'clock'
        ? { hour: 'numeric', minute: '2-digit' }
        : { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit' };
    f = new Intl.DateTimeFormat('en-US', { ...opts, ...hourOptions() });
    byClock.set(key, f);
  }
  return f;
}

function parseDay(ymd: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "1985-03-04" → "Mar 4, 1985"; anything unparseable is returned as is. */
export function formatDate(ymd: string): string {
  const d = parseDay(ymd);
  return d ? dateFmt.format(d) : ymd;
}

/** Whole years between a YYYY-MM-DD birth date and `today` (local date). */
export function ageOn(ymd: string, today: Date = new Date()): number | null {
  const d = parseDay(ymd);
  if (!d) return null;
  let age = today.getFullYear() - d.getUTCFullYear();
  const m = today.getMonth() - d.getUTCMonth();
  if (m < 0 || (m === 0 && today.getDate() < d.getUTCDate())) age--;
  return age >= 0 ? age : null;
}

/** RFC 3339 → local date and time. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : withClock('dateTime').format(d);
}

/** RFC 3339 → local time of day, "4:00 PM" (or "16:00"): for lists of today's appointments. */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : withClock('clock').format(d);
}

export function fullName(first: string, last: string): string {
  return [first, last].filter(Boolean).join(' ');
}

/** "Whitfield, Dana" for lists sorted by last name. */
export function listName(first: string, last: string): string {
  return [last, first].filter(Boolean).join(', ');
}

export function orDash(s: string | null | undefined): string {
  return s && s.trim() !== '' ? s : '—';
}

const moneyFmt = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Cents as staff read dollars, the one money format of every screen: 123450 → "$1,234.50", -500 → "-$5.00". */
export function formatMoney(cents: number): string {
  return moneyFmt.format(cents / 100);
}

/** Cents as a number a spreadsheet sums (CSV files): 123450 → "1234.50". */
export function decimalMoney(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** A chart label in lines of at most `width` characters (a longer word stays whole), at most `most` lines. */
export function wrapLabel(label: string, width = 22, most = 3): string | string[] {
  if (label.length <= width) return label;
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && (lines[last] + ' ' + word).length <= width) lines[last] += ' ' + word;
    else if (lines.length < most) lines.push(word);
    else lines[last] += ' ' + word;
  }
  return lines;
}
