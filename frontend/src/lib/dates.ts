// Typed dates: what a person types in a date field (digits, separators, a
// pasted ISO date) turned into the YYYY-MM-DD the backend stores, and back.
// The browser's <input type="date"> is not used: WebKitGTK (the Linux app)
// opens a picker that swallows typing, and Chromium puts a click on the year.

/** The order a practice writes dates in. */
export type DateOrder = 'MDY' | 'DMY' | 'YMD';

/**
 * The practice's date order. US practices write month first; there is no
 * practice setting for it yet, so this is the one place to change.
 */
export const practiceDateOrder: DateOrder = 'MDY';

type Part = 'Y' | 'M' | 'D';

const PARTS: Record<DateOrder, readonly Part[]> = { MDY: ['M', 'D', 'Y'], DMY: ['D', 'M', 'Y'], YMD: ['Y', 'M', 'D'] };
const SEPARATOR: Record<DateOrder, string> = { MDY: '/', DMY: '/', YMD: '-' };
const WIDTH: Record<Part, number> = { Y: 4, M: 2, D: 2 };
const PLACEHOLDER: Record<Part, string> = { Y: 'YYYY', M: 'MM', D: 'DD' };
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "MM/DD/YYYY" for month-first practices. */
export function datePattern(order: DateOrder = practiceDateOrder): string {
  return PARTS[order].map((p) => PLACEHOLDER[p]).join(SEPARATOR[order]);
}

/** What a screen reader says of the field's format: "Digits: month, day, four-digit year". */
export function spokenPattern(order: DateOrder = practiceDateOrder): string {
  const word: Record<Part, string> = { Y: 'four-digit year', M: 'month', D: 'day' };
  return `Digits: ${PARTS[order].map((p) => word[p]).join(', ')}`;
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

interface Split {
  /** The order the text was read in: the practice's, or year first for a pasted ISO date. */
  order: DateOrder;
  /** Parts finished (full width, or ended by a separator), padded to two digits for day and month. */
  done: string[];
  /** Digits of the part being typed. */
  current: string;
}

/**
 * Reads typed text part by part. A part ends when it is full, when a
 * separator follows it, or when its first digit allows no second one (a
 * month starting 2–9, a day starting 4–9): those are padded with a zero.
 * Text that starts with four digits and a separator, or is eight digits that
 * only make sense year first, is read year first (ISO), whatever the order.
 */
function split(text: string, order: DateOrder): Split {
  const t = text.trim();
  if (order !== 'YMD' && (/^\d{4}\D/.test(t) || yearFirstDigits(t, order))) order = 'YMD';
  const kinds = PARTS[order];
  const done: string[] = [];
  let current = '';
  for (const c of t) {
    if (done.length === 3) break;
    const kind = kinds[done.length];
    if (isDigit(c)) {
      current += c;
      const alone = current.length === 1 && ((kind === 'M' && c > '1') || (kind === 'D' && c > '3'));
      if (current.length === WIDTH[kind] || alone) {
        done.push(kind === 'Y' ? current : current.padStart(2, '0'));
        current = '';
      }
    } else if (current !== '') {
      done.push(kind === 'Y' ? current : current.padStart(2, '0'));
      current = '';
    }
  }
  return { order, done, current };
}

/** "20260309" pasted into a month-first field: month 20 cannot be, year 2026 can. */
function yearFirstDigits(t: string, order: DateOrder): boolean {
  if (!/^\d{8}$/.test(t)) return false;
  const first = Number(t.slice(0, 2));
  const tooBig = order === 'MDY' ? first > 12 : first > 31;
  const m = Number(t.slice(4, 6));
  return tooBig && m >= 1 && m <= 12;
}

function join(parts: Record<Part, string>, order: DateOrder): string {
  return PARTS[order].map((p) => parts[p]).join(SEPARATOR[order]);
}

function byKind(s: Split): Record<Part, string> {
  const kinds = PARTS[s.order];
  const all = [...s.done, s.current];
  return { [kinds[0]]: all[0] ?? '', [kinds[1]]: all[1] ?? '', [kinds[2]]: all[2] ?? '' } as Record<Part, string>;
}

/**
 * What the field shows after a keystroke, paste or fill: the digits in the
 * practice's order with separators put in as parts end. `deleting` (a
 * Backspace or Delete) leaves off a trailing separator, so deleting one
 * does not bring it straight back. A whole date read year first is shown in
 * the practice's order; a year-first date still being typed is left as typed.
 */
export function maskDate(text: string, order: DateOrder = practiceDateOrder, deleting = false): string {
  const s = split(text, order);
  if (s.order !== order) return s.done.length === 3 ? join(byKind(s), order) : text.trim();
  const sep = SEPARATOR[order];
  let out = s.done.join(sep);
  if (s.done.length < 3) {
    if (s.current !== '') out += (s.done.length > 0 ? sep : '') + s.current;
    else if (s.done.length > 0 && !deleting) out += sep;
  }
  return out;
}

/** A typed date read: the YYYY-MM-DD to store and what is wrong with it, if anything. */
export interface TypedDate {
  /** YYYY-MM-DD once day, month and four-digit year are typed (even an impossible one); '' before. */
  iso: string;
  /** Why this is not a date, in words; '' for a real date or nothing typed. */
  problem: string;
  /** Day, month and year are all typed. */
  complete: boolean;
}

/**
 * Reads a typed date. An impossible one is worded as the backend words it
 * (practice.DateProblem): "There is no 30 February 2001."
 */
export function parseDate(text: string, order: DateOrder = practiceDateOrder): TypedDate {
  if (text.trim() === '') return { iso: '', problem: '', complete: false };
  const s = split(text, order);
  const p = byKind(s);
  if (p.D.length !== 2 || p.M.length !== 2 || p.Y.length !== 4) {
    return { iso: '', problem: `Type the whole date: ${datePattern(order)}.`, complete: false };
  }
  const y = Number(p.Y);
  const m = Number(p.M);
  const d = Number(p.D);
  const iso = `${p.Y}-${p.M}-${p.D}`;
  let problem = '';
  if (y < 1) problem = `There is no year ${p.Y}.`;
  else if (m < 1 || m > 12) problem = `There is no month ${p.M}; months run from 01 to 12.`;
  else if (d < 1 || d > daysInMonth(y, m)) problem = `There is no ${d} ${MONTHS[m - 1]} ${p.Y}.`;
  return { iso, problem, complete: true };
}

/** "2026-03-09" → "03/09/2026" (month first); '' stays ''; anything else is shown as it is. */
export function formatIso(iso: string, order: DateOrder = practiceDateOrder): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return join({ Y: m[1], M: m[2], D: m[3] }, order);
}

/** Where the caret goes in `text` to sit after its `n`th digit (after a separator that follows it). */
export function caretAfterDigits(text: string, n: number): number {
  if (n <= 0) return 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    if (isDigit(text[i]) && ++seen === n) {
      let j = i + 1;
      while (j < text.length && !isDigit(text[j])) j++;
      return j === text.length ? j : i + 1;
    }
  }
  return text.length;
}

/** How many digits `text` holds. */
export function countDigits(text: string): number {
  let n = 0;
  for (const c of text) if (isDigit(c)) n++;
  return n;
}
