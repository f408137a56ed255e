// Billing's small pure helpers: dates of last week, money as staff read and type it.

/** Monday to Sunday of the week before the one holding `today` (YYYY-MM-DD). */
export function lastWeek(today: string): { from: string; to: string } {
  const d = new Date(today + 'T12:00:00Z');
  const back = ((d.getUTCDay() + 6) % 7) + 7; // to last week's Monday
  const from = new Date(d.getTime() - back * 86400000);
  const to = new Date(from.getTime() + 6 * 86400000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** Dollars as staff read them: $1,234.50 (format.ts's formatMoney). */
export { formatMoney as money } from '../format';

/** Typed dollars to cents: "12.5" → 1250; NaN when not a number. */
export function cents(typed: string): number {
  const t = typed.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(t)) return NaN;
  return Math.round(Number(t) * 100);
}
