// Plain data shapes of the bound Go structs for the calendar (app/calendar.go, internal/practice/calendar.go, internal/calendar).
// Times are RFC 3339 strings in UTC; the calendar shows them in the practice's zone.
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

import type { Clinician, Location, Room } from './practice.types';

/** The practice's cancellation policy. Fees are in cents. */
export interface CalendarPolicy {
  lateCancelHours: number;
  lateCancelFeeCents: number;
  noShowFeeCents: number;
}

export interface AppointmentType {
  id: string;
  name: string;
  durationMin: number;
  serviceCode: string;
  telehealthAllowed: boolean;
  /** "#rrggbb" or "". */
  color: string;
  active: boolean;
  /** Who may provide it: "" any clinician, "prescriber" or "therapist" only. */
  providedBy: string;
}

/** One block of a clinician's week at a location; weekday 0 is Sunday, times "HH:MM". */
export interface WorkingHours {
  id: string;
  clinicianId: string;
  locationId: string;
  weekday: number;
  start: string;
  end: string;
}

export type TimeOffKind = 'away' | 'blocked';

export interface TimeOff {
  id: string;
  clinicianId: string;
  roomId: string;
  /** A TimeOffKind. */
  kind: string;
  start: string;
  end: string;
  reason: string;
}

export interface CalendarSetup {
  zone: string;
  policy: CalendarPolicy;
  /** The type New appointment starts with ("" the first active one). */
  defaultTypeId: string;
  /** How times of day are written: "12h", "24h" ("" reads as 12-hour). */
  clock: string;
  types: AppointmentType[] | null;
  hours: WorkingHours[] | null;
  clinicians: Clinician[] | null;
  locations: Location[] | null;
  rooms: Room[] | null;
}

export interface CalendarQuery {
  from: string;
  to: string;
  clinicianIds: string[] | null;
  locationId: string;
  roomId: string;
}

export type AppointmentStatus = 'scheduled' | 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';

export interface CalendarEvent {
  id: string;
  seriesId: string;
  patientId: string;
  patientName: string;
  clinicianId: string;
  typeId: string;
  locationId: string;
  roomId: string;
  telehealth: boolean;
  start: string;
  end: string;
  /** An AppointmentStatus. */
  status: string;
  lateCancel: boolean;
  feeCents: number;
  /** A colleague's booked time, shown to a clinician: nothing but when. */
  busy: boolean;
}

export interface CalendarSpan {
  from: string;
  to: string;
}

export interface CalendarRange {
  events: CalendarEvent[] | null;
  timeOff: TimeOff[] | null;
}

export interface Appointment {
  id: string;
  seriesId: string;
  occurrence: string;
  patientId: string;
  clinicianId: string;
  typeId: string;
  locationId: string;
  roomId: string;
  telehealth: boolean;
  start: string;
  end: string;
  /** An AppointmentStatus. */
  status: string;
  actualStart: string;
  actualEnd: string;
  /** "patient", "practice" or "". */
  cancelledBy: string;
  lateCancel: boolean;
  feeCents: number;
  reason: string;
  notes: string;
  videoLink: string;
  overrideReason: string;
}

export type Frequency = 'weekly' | 'monthly';

export interface Recurrence {
  /** A Frequency. */
  frequency: string;
  interval: number;
  weekdays: number[] | null;
  /** Monthly: 1–4 for first–fourth, -1 for last. */
  week: number;
  /** YYYY-MM-DD or "". */
  until: string;
  count: number;
}

export interface Series {
  id: string;
  patientId: string;
  clinicianId: string;
  typeId: string;
  locationId: string;
  roomId: string;
  telehealth: boolean;
  first: string;
  durationMin: number;
  recurrence: Recurrence;
  materializedUntil: string;
  ended: boolean;
}

export interface AppointmentDetail {
  appointment: Appointment;
  patientName: string;
  videoLink: string;
  series?: Series | null;
}

export interface Booking {
  appointment: Appointment;
  /** Absent for a one-off. */
  recurrence?: Recurrence;
}

export type ConflictKind = 'clinician' | 'room' | 'patient' | 'time_off' | 'hours';

export interface Conflict {
  /** A ConflictKind. */
  kind: string;
  hard: boolean;
  message: string;
  otherId: string;
  start: string;
}

export interface BookingResult {
  appointments: Appointment[] | null;
  conflicts: Conflict[] | null;
  seriesId: string;
}

/** Which sessions of a series a change applies to. */
export type Scope = 'this' | 'following' | 'series';

export interface Move {
  id: string;
  start: string;
  end: string;
  clinicianId: string;
  locationId: string;
  roomId: string;
  telehealth: boolean;
  /** A Scope, or "" for a one-off. */
  scope: string;
  overrideReason: string;
}

/** Why a booking is removed rather than cancelled (a choice: it goes into the audit trail). */
export type RemovalReason = 'duplicate' | 'wrong-patient' | 'wrong-details' | 'test';

/** Removes a booking made in error. */
export interface Removal {
  id: string;
  /** A Scope, or "" for a one-off. */
  scope: string;
  /** A RemovalReason. */
  reason: string;
}

export interface Change {
  /** The AppointmentStatus to move to. */
  to: string;
  actualStart: string;
  actualEnd: string;
  cancelledBy: string;
  reason: string;
  waiveFee: boolean;
}

export interface StatusChange {
  id: string;
  change: Change;
  scope: string;
}

export type WaitlistStatus = 'open' | 'booked' | 'removed';

export interface WaitlistEntry {
  id: string;
  patientId: string;
  name: string;
  phone: string;
  clinicianIds: string[] | null;
  specialty: string;
  language: string;
  weekdays: number[] | null;
  earliestTime: string;
  latestTime: string;
  payerId: string;
  /** "any", "only" or "never". */
  telehealth: string;
  /** 1 urgent, 2 soon, 3 routine. */
  priority: number;
  notes: string;
  /** A WaitlistStatus. */
  status: string;
  added: string;
}

export interface WaitlistItem {
  entry: WaitlistEntry;
  name: string;
}

export interface ChangeResult {
  appointments: Appointment[] | null;
  conflicts: Conflict[] | null;
  /** Waitlist entries that fit a slot the change freed. */
  offers: WaitlistEntry[] | null;
}

export interface SlotQuery {
  clinicianIds: string[] | null;
  locationId: string;
  telehealth: boolean;
  durationMin: number;
  from: string;
  to: string;
  weekdays: number[] | null;
  earliestMin: number;
  latestMin: number;
  perClinician: number;
  /** Narrows the search to the clinicians who may provide the type; "" any. */
  typeId: string;
  /** Openings free for a whole series starting there. */
  recurrence?: Recurrence;
  /** Fills what the query leaves open from this waitlist entry's preferences; "" none. */
  waitlistEntryId: string;
}

export interface Slot {
  clinicianId: string;
  locationId: string;
  roomId: string;
  start: string;
  end: string;
}

export interface Need {
  specialty: string;
  language: string;
  /** "any", "only" or "never". */
  telehealth: string;
  /** The patient's payer ("" for self-pay): clinicians in network with it today rank first. */
  payerId: string;
}

export interface ClinicianMatch {
  clinicianId: string;
  score: number;
  reasons: string[] | null;
  /** The zero time ("0001-01-01T00:00:00Z") when no opening was found. */
  firstAvailable: string;
}

/** One of a patient's appointments as their record lists it. */
export interface PatientVisit {
  id: string;
  seriesId: string;
  start: string;
  end: string;
  /** An AppointmentStatus. */
  status: string;
  /** "patient", "practice" or "". */
  cancelledBy: string;
  lateCancel: boolean;
  feeCents: number;
  type: string;
  clinician: string;
  /** "Main Street, Room 1", or "Telehealth". */
  place: string;
}

export interface PatientVisits {
  /** Soonest first; cancelled ones too, with their status. */
  upcoming: PatientVisit[] | null;
  /** Latest first. */
  past: PatientVisit[] | null;
  /** No-show and late-cancellation fees charged (no payments are recorded yet). */
  feeCents: number;
}
