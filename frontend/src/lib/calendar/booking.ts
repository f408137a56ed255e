// The booking dialog's draft and how it becomes a Booking for the backend.

import type { Appointment, Booking, Conflict, Recurrence, Slot } from '../api';
import { ZERO_TIME, clockKey, dateKey, instantOf, parseWall, wallClockAt, weekdayOf } from './zone';

export type Repeat = 'none' | 'weekly' | 'monthly';
export type SeriesEnd = 'never' | 'on' | 'after';

export interface BookingDraft {
  patientId: string;
  patientName: string;
  typeId: string;
  clinicianId: string;
  /** "" with telehealth. */
  locationId: string;
  roomId: string;
  telehealth: boolean;
  /** "YYYY-MM-DD" and "HH:MM" in the practice's zone. */
  date: string;
  time: string;
  durationMin: number;
  repeat: Repeat;
  interval: number;
  weekdays: number[];
  /** Monthly: 1–4 or -1 (last). */
  week: number;
  ends: SeriesEnd;
  until: string;
  count: number;
  overrideReason: string;
}

export function emptyDraft(): BookingDraft {
  return {
    patientId: '',
    patientName: '',
    typeId: '',
    clinicianId: '',
    locationId: '',
    roomId: '',
    telehealth: false,
    date: '',
    time: '',
    durationMin: 50,
    repeat: 'none',
    interval: 1,
    weekdays: [],
    week: 1,
    ends: 'never',
    until: '',
    count: 10,
    overrideReason: '',
  };
}

/** Which week of its month a day falls in: 1–4, or -1 for the fifth (booked as "last"). */
export function weekOfMonth(day: number): number {
  const n = Math.ceil(day / 7);
  return n > 4 ? -1 : n;
}

/** Sets the start; a weekly series follows the new day of the week when it was on the old one only. */
export function setStart(d: BookingDraft, date: string, time: string): void {
  const old = parseWall(d.date, '00:00');
  d.date = date;
  d.time = time;
  const now = parseWall(date, '00:00');
  if (!now) return;
  if (!old || (d.weekdays.length === 1 && d.weekdays[0] === weekdayOf(old)) || d.weekdays.length === 0) {
    d.weekdays = [weekdayOf(now)];
  }
  d.week = weekOfMonth(now.day);
}

/** Fills the draft from an opening found by "first available". */
export function applySlot(d: BookingDraft, s: Slot, zone: string): void {
  const w = wallClockAt(new Date(s.start), zone);
  d.clinicianId = s.clinicianId;
  d.telehealth = !s.locationId;
  d.locationId = s.locationId;
  d.roomId = s.roomId;
  setStart(d, dateKey(w), clockKey(w));
}

export function recurrenceOf(d: BookingDraft): Recurrence | undefined {
  if (d.repeat === 'none') return undefined;
  return {
    frequency: d.repeat,
    interval: d.interval,
    weekdays: d.repeat === 'weekly' ? [...d.weekdays].sort((a, b) => a - b) : [],
    week: d.repeat === 'monthly' ? d.week : 0,
    until: d.ends === 'on' ? d.until : '',
    count: d.ends === 'after' ? d.count : 0,
  };
}

/** The Booking the draft stands for; the start is left empty when the date or time is not valid (the backend says so). */
export function toBooking(d: BookingDraft, zone: string): Booking {
  const wall = parseWall(d.date, d.time);
  const start = wall ? instantOf(wall, zone) : null;
  const end = start ? new Date(start.getTime() + d.durationMin * 60_000) : null;
  const appointment: Appointment = {
    id: '',
    seriesId: '',
    occurrence: ZERO_TIME,
    patientId: d.patientId,
    clinicianId: d.clinicianId,
    typeId: d.typeId,
    locationId: d.telehealth ? '' : d.locationId,
    roomId: d.telehealth ? '' : d.roomId,
    telehealth: d.telehealth,
    start: start?.toISOString() ?? ZERO_TIME,
    end: end?.toISOString() ?? ZERO_TIME,
    status: 'scheduled',
    actualStart: ZERO_TIME,
    actualEnd: ZERO_TIME,
    cancelledBy: '',
    lateCancel: false,
    feeCents: 0,
    reason: '',
    notes: '',
    videoLink: '',
    overrideReason: d.overrideReason.trim(),
  };
  return { appointment, recurrence: recurrenceOf(d) };
}

/** Whether the draft has what a conflict check needs. */
export function checkable(d: BookingDraft): boolean {
  return !!d.patientId && !!d.clinicianId && !!d.typeId && !!parseWall(d.date, d.time) && d.durationMin > 0;
}

export function hasHard(conflicts: readonly Conflict[]): boolean {
  return conflicts.some((c) => c.hard);
}

/**
 * What the draft still lacks before it can be booked, in words for beside a
 * disabled Book button; "" when it can be booked. A booking over a hard
 * conflict needs a reason for the override.
 */
export function missingForBooking(d: BookingDraft, conflicts: readonly Conflict[]): string {
  const need: string[] = [];
  if (!d.patientId) need.push('a patient');
  if (!d.typeId) need.push('a type');
  if (!d.clinicianId) need.push('a clinician');
  if (!parseWall(d.date, d.time)) need.push('a date and start time');
  if (!(d.durationMin > 0)) need.push('the minutes');
  if (need.length > 0) return `Still needed: ${need.join(', ')}.`;
  if (hasHard(conflicts) && d.overrideReason.trim() === '') return 'Give a reason to book anyway, or change the time.';
  return '';
}

export function canSubmit(d: BookingDraft, conflicts: readonly Conflict[]): boolean {
  return missingForBooking(d, conflicts) === '';
}

/** Backend field names ("appointment.start", "recurrence.until") mapped to the dialog's fields. */
export function draftFieldErrors(fields: Record<string, string>): Record<string, string> {
  const map: Record<string, string> = {
    'appointment.patientId': 'patientId',
    'appointment.clinicianId': 'clinicianId',
    'appointment.typeId': 'typeId',
    'appointment.locationId': 'locationId',
    'appointment.start': 'time',
    'appointment.end': 'durationMin',
    'appointment.overrideReason': 'overrideReason',
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    const key = map[k] ?? k.replace(/^recurrence\./, '').replace(/^appointment\./, '');
    out[key] ??= v;
  }
  return out;
}
