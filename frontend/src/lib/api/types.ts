// Plain data shapes of the bound Go structs (app/types.go, internal/practice/types.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

export type Role = 'owner' | 'frontdesk' | 'clinician' | 'biller';
export const ROLES: readonly Role[] = ['owner', 'frontdesk', 'clinician', 'biller'];
export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner / manager',
  frontdesk: 'Front desk',
  clinician: 'Clinician',
  biller: 'Biller',
};

export interface Account {
  id: string;
  username: string;
  displayName: string;
  /** A Role; typed as string because the generated model is. */
  role: string;
  clinicianId: string;
  disabled: boolean;
}

export interface SessionStatus {
  /** Set when the data folder cannot be opened (busy or damaged); the window shows only this. */
  problem: string;
  practiceExists: boolean;
  loggedIn: boolean;
  locked: boolean;
  account?: Account | null;
  practiceName: string;
  lockMinutes: number;
  permissions: string[] | null;
}

export interface PracticeSetup {
  practiceName: string;
  ownerName: string;
  username: string;
  password: string;
}

export interface CreatedPractice {
  recoveryKey: string;
  status: SessionStatus;
}

export interface DemoLogin {
  username: string;
  password: string;
}

export interface PasswordStrength {
  score: number;
  acceptable: boolean;
  hint: string;
}

export interface Address {
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
}

export interface PatientIdentity {
  firstName: string;
  lastName: string;
  preferredName: string;
  dob: string;
  /** F, M, U or empty. */
  sex: string;
  gender: string;
  pronouns: string;
}

export interface PatientContact {
  phone: string;
  email: string;
  address: Address;
}

export interface RelatedPerson {
  name: string;
  relationship: string;
  phone: string;
  email: string;
}

export interface Patient {
  id: string;
  identity: PatientIdentity;
  contact: PatientContact;
  emergency: RelatedPerson;
  guardian: RelatedPerson;
  active: boolean;
}

export type PolicyRank = 'primary' | 'secondary' | 'tertiary';

export interface Subscriber {
  name: string;
  dob: string;
  /** self, spouse, child, other or empty. */
  relationship: string;
}

export interface InsurancePolicy {
  id: string;
  patientId: string;
  payerId: string;
  /** A PolicyRank. */
  rank: string;
  memberId: string;
  groupNumber: string;
  subscriber: Subscriber;
}

export interface PatientSummary {
  id: string;
  firstName: string;
  lastName: string;
  preferredName: string;
  dob: string;
  phone: string;
  active: boolean;
  /** Start of the next scheduled or confirmed appointment; the zero time when none. */
  next: string;
}

/** One page of search results and how many patients match in all. */
export interface PatientSearch {
  patients: PatientSummary[] | null;
  total: number;
}

export interface PatientRecord {
  patient: Patient;
  policies: InsurancePolicy[] | null;
}

export interface Settings {
  name: string;
  taxId: string;
  npi: string;
  phone: string;
  address: Address;
  timezone: string;
  lockMinutes: number;
  policy: CalendarPolicy;
  /** Off (default): clinicians open only their own patients' records. */
  cliniciansSeeAllPatients: boolean;
}

export interface Location {
  id: string;
  name: string;
  phone: string;
  address: Address;
  active: boolean;
}

export interface Room {
  id: string;
  locationId: string;
  name: string;
  active: boolean;
}

export interface Clinician {
  id: string;
  firstName: string;
  lastName: string;
  credentials: string;
  npi: string;
  taxonomy: string;
  specialties: string[] | null;
  languages: string[] | null;
  email: string;
  phone: string;
  /** The clinician's standing telehealth room, used when an appointment has none of its own. */
  videoLink: string;
  prescriber: boolean;
  acceptingNew: boolean;
  active: boolean;
}

export type PayerKind = 'insurance' | 'eap';

export interface Payer {
  id: string;
  name: string;
  payerId: string;
  /** A PayerKind. */
  kind: string;
  active: boolean;
}

export interface NewAccount {
  account: Account;
  password: string;
}

export interface AuditFilter {
  from: string;
  to: string;
  accountId: string;
  action: string;
  recordId: string;
  limit: number;
}

export interface AuditRow {
  seq: number;
  at: string;
  device: string;
  accountId: string;
  who: string;
  action: string;
  table: string;
  recordId: string;
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  problem: string;
}

// ---- Calendar (app/calendar.go, internal/practice/calendar.go, internal/calendar) ----
// Times are RFC 3339 strings in UTC; the calendar shows them in the practice's zone.

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
  /** Who may provide it: "" any clinician, "prescriber" or "therapist" (non-prescribers). */
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
  /** Only clinicians who may provide this type. */
  typeId: string;
  /** Openings free for the whole series. */
  recurrence?: Recurrence;
  /** Fills clinicians, days, times and telehealth from a waitlist entry. */
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
}

export interface ClinicianMatch {
  clinicianId: string;
  score: number;
  reasons: string[] | null;
  /** The zero time ("0001-01-01T00:00:00Z") when no opening was found. */
  firstAvailable: string;
}
