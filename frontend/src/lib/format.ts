const dateFmt = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});

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
  return Number.isNaN(d.getTime()) ? iso : dateTimeFmt.format(d);
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
