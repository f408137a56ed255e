// Typed times of day: what a person types in a time field ("930", "9:30 pm",
// "21:30") turned into the HH:MM the backend stores, and back into the
// practice's clock. The browser's <input type="time"> is not used: in
// WebKitGTK (the Linux app) typing "0700" leaves the hour selected and
// saves midnight without a word, and it follows the computer's locale, not
// the practice's 12- or 24-hour setting.

import type { Clock } from './clock.svelte';

/** A typed time read: the HH:MM to store and what is wrong with it, if anything. */
export interface TypedTime {
  /** HH:MM (24-hour) for a real time; '' for nothing typed or a wrong one. */
  hhmm: string;
  /** Why this is not a time, in words; '' for a real time or nothing typed. */
  problem: string;
}

const SHAPE = /^(\d{1,2})(?::?(\d{2}))?\s*([ap])?\.?\s*(m\.?)?$/;

/**
 * Reads "9", "930", "0930", "9:30", "21:30", "9:30 PM", "930p" or "12am".
 * An hour typed with two digits (07, 19) or with AM/PM is taken as typed;
 * a single digit 1–6 with neither is an afternoon hour (a session at
 * "3" is at 3 PM, not 3 AM) on the 12-hour clock. The 24-hour clock takes
 * every hour as typed.
 */
export function parseTime(text: string, clock: Clock): TypedTime {
  const t = text.trim().toLowerCase();
  if (t === '') return { hhmm: '', problem: '' };
  const m = SHAPE.exec(t.replace(/\s+/g, ' '));
  const example = clock === '24h' ? '09:30 or 14:00' : '9:30 AM or 2:00 PM';
  if (!m) return { hhmm: '', problem: `Type a time like ${example}.` };
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  const meridiem = m[3];
  if (minute > 59) return { hhmm: '', problem: `An hour has 60 minutes: ${m[2]} is not a minute.` };
  if (meridiem) {
    if (hour < 1 || hour > 12)
      return { hhmm: '', problem: `With AM or PM the hour is 1 to 12; type a time like ${example}.` };
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  } else if (hour > 23) {
    return { hhmm: '', problem: `There is no ${hour}:${String(minute).padStart(2, '0')}; the day has hours 0 to 23.` };
  } else if (clock === '12h' && m[1].length === 1 && hour >= 1 && hour <= 6) {
    hour += 12;
  }
  return { hhmm: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, problem: '' };
}

/** "14:05" → "2:05 PM" on the 12-hour clock, "14:05" on the 24-hour one; '' stays ''. */
export function showTime(hhmm: string, clock: Clock): string {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return hhmm;
  if (clock === '24h') return hhmm;
  const hour = Number(m[1]);
  return `${hour % 12 === 0 ? 12 : hour % 12}:${m[2]} ${hour < 12 ? 'AM' : 'PM'}`;
}

/** The field's placeholder: what a time looks like on this clock. */
export function timePattern(clock: Clock): string {
  return clock === '24h' ? 'HH:MM' : 'H:MM AM';
}
