import type {
  Account,
  AppointmentType,
  AuditRow,
  CalendarEvent,
  CalendarSetup,
  ChangeResult,
  Clinician,
  Form,
  WaitlistEntry,
  WaitlistItem,
  InsurancePolicy,
  Patient,
  PatientRecord,
  PatientSummary,
  Payer,
  SessionStatus,
} from '../lib/api';

import { emptyWaitlistEntry } from '../lib/stores/waitlist.svelte';

let n = 0;
const nextId = (prefix: string) => `${prefix}-${++n}`;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function account(over: Partial<Account> = {}): Account {
  return {
    id: nextId('acc'),
    username: 'dana',
    displayName: 'Dana Whitfield',
    role: 'owner',
    clinicianId: '',
    disabled: false,
    ...over,
  };
}

export const OWNER_PERMISSIONS = [
  'Session.ChangePassword',
  'Session.SaveRecoveryKit',
  'Patients.Search',
  'Patients.Get',
  'Patients.Create',
  'Patients.Update',
  'Patients.SavePolicy',
  'Patients.DeletePolicy',
  'Practice.Settings',
  'Practice.SaveSettings',
  'Practice.Payers',
  'Staff.Accounts',
  'Audit.Query',
];

export function status(over: Partial<SessionStatus> = {}): SessionStatus {
  return {
    problem: '',
    problemCode: '',
    practiceExists: true,
    loggedIn: true,
    locked: false,
    account: account(),
    practiceName: 'Maple Street Counseling',
    lockMinutes: 10,
    permissions: [...OWNER_PERMISSIONS],
    ownCaseload: false,
    ...over,
  };
}

export function loggedOut(over: Partial<SessionStatus> = {}): SessionStatus {
  return status({ loggedIn: false, account: null, permissions: [], practiceName: '', ...over });
}

export function patient(over: DeepPartial<Patient> = {}): Patient {
  return {
    id: over.id ?? nextId('pat'),
    identity: {
      firstName: 'Avery',
      lastName: 'Lindqvist',
      preferredName: '',
      dob: '1988-04-12',
      sex: 'U',
      gender: '',
      pronouns: 'they/them',
      ...over.identity,
    },
    contact: {
      phone: '555-0100',
      email: 'avery@example.org',
      noReminders: false,
      language: '',
      ...over.contact,
      address: {
        line1: '1 Elm St',
        line2: '',
        city: 'Springfield',
        state: 'IL',
        zip: '62701',
        ...over.contact?.address,
      },
    },
    emergency: { name: '', relationship: '', phone: '', email: '', ...over.emergency },
    guardian: { name: '', relationship: '', phone: '', email: '', ...over.guardian },
    active: over.active ?? true,
  };
}

export function policy(over: Partial<InsurancePolicy> = {}): InsurancePolicy {
  return {
    id: nextId('pol'),
    patientId: 'pat-1',
    payerId: 'pay-1',
    rank: 'primary',
    memberId: 'M123456',
    groupNumber: 'G1',
    subscriber: { name: '', dob: '', relationship: 'self' },
    ...over,
  };
}

export function record(p: Patient = patient(), policies: InsurancePolicy[] = []): PatientRecord {
  return { patient: p, policies };
}

export function summary(over: Partial<PatientSummary> = {}): PatientSummary {
  return {
    id: nextId('pat'),
    firstName: 'Avery',
    lastName: 'Lindqvist',
    preferredName: '',
    dob: '1988-04-12',
    phone: '555-0100',
    active: true,
    next: '0001-01-01T00:00:00Z',
    ...over,
  };
}

export function payer(over: Partial<Payer> = {}): Payer {
  return { id: nextId('pay'), name: 'Blue Prairie Health', payerId: 'BPH01', kind: 'insurance', active: true, ...over };
}

export function auditRow(over: Partial<AuditRow> = {}): AuditRow {
  return {
    seq: ++n,
    at: '2025-01-02T15:04:05Z',
    device: 'dev-1',
    computer: 'Front desk',
    accountId: 'acc-1',
    who: 'Dana Whitfield',
    action: 'patient.read',
    what: "Opened a patient's record",
    table: 'patients',
    recordId: 'pat-1',
    ...over,
  };
}

/** The JSON string a bound method rejects with. */
export function rejection(code: string, message: string, fields?: Record<string, string>): string {
  return JSON.stringify(fields ? { code, message, fields } : { code, message });
}

// ---- Calendar ----

export function clinician(over: Partial<Clinician> = {}): Clinician {
  return {
    id: nextId('cli'),
    firstName: 'Ana',
    lastName: 'Ruiz',
    credentials: 'LCSW',
    npi: '',
    taxonomy: '',
    specialties: ['anxiety'],
    languages: ['English', 'Spanish'],
    email: '',
    phone: '',
    videoLink: '',
    prescriber: false,
    acceptingNew: true,
    active: true,
    ...over,
  };
}

export function appointmentType(over: Partial<AppointmentType> = {}): AppointmentType {
  return {
    id: nextId('type'),
    name: 'Individual therapy 53 min',
    durationMin: 53,
    serviceCode: '90837',
    providedBy: '',
    telehealthAllowed: true,
    color: '#2563eb',
    active: true,
    ...over,
  };
}

export function calendarSetup(over: Partial<CalendarSetup> = {}): CalendarSetup {
  return {
    zone: 'America/Los_Angeles',
    policy: { lateCancelHours: 24, lateCancelFeeCents: 5000, noShowFeeCents: 7500 },
    defaultTypeId: '',
    clock: '',
    types: [appointmentType({ id: 'type-1' })],
    hours: [],
    clinicians: [clinician({ id: 'cli-1' })],
    locations: [
      {
        id: 'loc-1',
        name: 'Main office',
        phone: '',
        address: { line1: '', line2: '', city: '', state: '', zip: '' },
        active: true,
      },
    ],
    rooms: [{ id: 'room-1', locationId: 'loc-1', name: 'Aspen', active: true }],
    ...over,
  };
}

export function calendarEvent(over: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    id: nextId('appt'),
    seriesId: '',
    patientId: 'pat-1',
    patientName: 'Avery Lindqvist',
    clinicianId: 'cli-1',
    typeId: 'type-1',
    locationId: 'loc-1',
    roomId: 'room-1',
    telehealth: false,
    start: '2026-03-10T16:00:00Z',
    end: '2026-03-10T16:53:00Z',
    status: 'scheduled',
    lateCancel: false,
    feeCents: 0,
    busy: false,
    ...over,
  };
}

export function changeResult(over: Partial<ChangeResult> = {}): ChangeResult {
  return { appointments: [], conflicts: [], offers: [], ...over };
}

export function waitlistItem(over: Partial<WaitlistEntry> = {}, name = 'Avery Lindqvist'): WaitlistItem {
  return {
    name,
    entry: {
      ...emptyWaitlistEntry(),
      id: nextId('wait'),
      patientId: 'pat-1',
      added: '2026-01-05T10:00:00Z',
      ...over,
    },
  };
}

/** An intake form: a questions form with no questions unless given. */
export function intakeForm(over: Partial<Form> = {}): Form {
  return {
    id: nextId('form'),
    version: 1,
    kind: 'questions',
    title: { en: 'About you', es: 'Sobre usted' },
    body: { en: '', es: '' },
    optional: false,
    questions: [],
    ...over,
  };
}
