// The only module that touches the generated Wails bindings. Every call goes
// through `call`, which turns a rejection into an ApiError and tells the
// registered listeners (the session store) about "locked" and "unauthorized".

import * as AuditFn from '../../../wailsjs/go/app/Audit';
import * as CalendarFn from '../../../wailsjs/go/app/Calendar';
import * as PatientsFn from '../../../wailsjs/go/app/Patients';
import * as PracticeFn from '../../../wailsjs/go/app/Practice';
import * as SessionFn from '../../../wailsjs/go/app/Session';
import * as StaffFn from '../../../wailsjs/go/app/Staff';
import { app, calendar, practice } from '../../../wailsjs/go/models';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { ApiError, toApiError } from './errors';
import type {
  Account,
  AppointmentDetail,
  AppointmentType,
  Booking,
  BookingResult,
  CalendarQuery,
  CalendarRange,
  CalendarSetup,
  CalendarSpan,
  ChangeResult,
  ClinicianMatch,
  Conflict,
  Move,
  Need,
  Slot,
  SlotQuery,
  StatusChange,
  TimeOff,
  WaitlistEntry,
  WaitlistItem,
  WorkingHours,
  AuditCheck,
  AuditFilter,
  AuditRow,
  Clinician,
  CreatedPractice,
  DemoLogin,
  InsurancePolicy,
  Location,
  NewAccount,
  PracticeSetup,
  PasswordStrength,
  Patient,
  PatientRecord,
  PatientSearch,
  PatientSummary,
  Payer,
  Room,
  SessionStatus,
  Settings,
} from './types';

export { ApiError, toApiError } from './errors';
export type { ErrorCode, FieldErrors } from './errors';
export * from './types';

type ErrorListener = (err: ApiError) => void;
const listeners = new Set<ErrorListener>();

/** Registers a listener called for every failed call; returns an unsubscribe function. */
export function onApiError(fn: ErrorListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The event the backend sends when it locked the session after inactivity. */
export const SESSION_LOCKED_EVENT = 'session:locked';

/** Calls fn when the backend locks the session on its own clock; returns the unsubscribe function. */
export function onSessionLocked(fn: () => void): () => void {
  return EventsOn(SESSION_LOCKED_EVENT, () => fn());
}

export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (reason) {
    const err = toApiError(reason);
    for (const fn of listeners) fn(err);
    throw err;
  }
}

// Data<T> is the plain-data shape of a generated model class (methods
// removed), so our interfaces are checked against the generated ones.
type Data<T> = T extends (infer U)[]
  ? Data<U>[] | null
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Data<T[K]> }
    : T;

function toGo<T>(cls: { createFrom(source: unknown): T }, value: Data<T>): T {
  return cls.createFrom(value);
}

const list = <T>(v: T[] | null | undefined): T[] => v ?? [];

export const session = {
  status: (): Promise<SessionStatus> => call(() => SessionFn.Status()),
  checkPassword: (password: string, personal: string[]): Promise<PasswordStrength> =>
    call(() => SessionFn.CheckPassword(password, personal)),
  createPractice: (p: PracticeSetup): Promise<CreatedPractice> =>
    call(() => SessionFn.CreatePractice(toGo(app.PracticeSetup, p))),
  openDemo: (): Promise<DemoLogin> => call(() => SessionFn.OpenDemo()),
  login: (username: string, password: string): Promise<SessionStatus> =>
    call(() => SessionFn.Login(username, password)),
  logout: (): Promise<void> => call(() => SessionFn.Logout()),
  lock: (): Promise<SessionStatus> => call(() => SessionFn.Lock()),
  /** Tells the backend a person used the window: the only thing that keeps a session open. */
  active: (): Promise<void> => call(() => SessionFn.Active()),
  unlock: (password: string): Promise<SessionStatus> => call(() => SessionFn.Unlock(password)),
  recover: (recoveryKey: string, username: string, newPassword: string): Promise<SessionStatus> =>
    call(() => SessionFn.Recover(recoveryKey, username, newPassword)),
  changePassword: (current: string, next: string): Promise<void> => call(() => SessionFn.ChangePassword(current, next)),
  /** Replaces the recovery key (the old one stops working) and returns the new one, shown once. */
  newRecoveryKey: (): Promise<string> => call(() => SessionFn.NewRecoveryKey()),
  /** Returns the saved file's path, or "" when the user cancelled the dialog. */
  saveRecoveryKit: (recoveryKey: string): Promise<string> => call(() => SessionFn.SaveRecoveryKit(recoveryKey)),
};

export const patients = {
  search: async (query: string): Promise<{ patients: PatientSummary[]; total: number }> => {
    const found: PatientSearch = await call(() => PatientsFn.Search(query));
    return { patients: list(found.patients), total: found.total };
  },
  get: (id: string): Promise<PatientRecord> => call(() => PatientsFn.Get(id)),
  create: (p: Patient): Promise<PatientRecord> => call(() => PatientsFn.Create(toGo(practice.Patient, p))),
  update: (p: Patient): Promise<PatientRecord> => call(() => PatientsFn.Update(toGo(practice.Patient, p))),
  savePolicy: (p: InsurancePolicy): Promise<PatientRecord> =>
    call(() => PatientsFn.SavePolicy(toGo(practice.InsurancePolicy, p))),
  deletePolicy: (patientId: string, policyId: string): Promise<PatientRecord> =>
    call(() => PatientsFn.DeletePolicy(patientId, policyId)),
};

export const practiceApi = {
  settings: (): Promise<Settings> => call(() => PracticeFn.Settings()),
  saveSettings: (s: Settings): Promise<Settings> => call(() => PracticeFn.SaveSettings(toGo(practice.Settings, s))),
  locations: async (): Promise<Location[]> => list<Location>(await call(() => PracticeFn.Locations())),
  saveLocation: (l: Location): Promise<Location> => call(() => PracticeFn.SaveLocation(toGo(practice.Location, l))),
  rooms: async (): Promise<Room[]> => list<Room>(await call(() => PracticeFn.Rooms())),
  saveRoom: (r: Room): Promise<Room> => call(() => PracticeFn.SaveRoom(toGo(practice.Room, r))),
  clinicians: async (): Promise<Clinician[]> => list<Clinician>(await call(() => PracticeFn.Clinicians())),
  saveClinician: (c: Clinician): Promise<Clinician> =>
    call(() => PracticeFn.SaveClinician(toGo(practice.Clinician, c))),
  payers: async (): Promise<Payer[]> => list<Payer>(await call(() => PracticeFn.Payers())),
  savePayer: (p: Payer): Promise<Payer> => call(() => PracticeFn.SavePayer(toGo(practice.Payer, p))),
};

export const staff = {
  accounts: async (): Promise<Account[]> => list<Account>(await call(() => StaffFn.Accounts())),
  create: (a: NewAccount): Promise<Account> => call(() => StaffFn.Create(toGo(app.NewAccount, a))),
  update: (a: Account): Promise<Account> => call(() => StaffFn.Update(toGo(practice.Account, a))),
  resetPassword: (accountId: string, password: string): Promise<void> =>
    call(() => StaffFn.ResetPassword(accountId, password)),
};

export const audit = {
  query: async (f: AuditFilter): Promise<AuditRow[]> =>
    list<AuditRow>(await call(() => AuditFn.Query(toGo(app.AuditFilter, f)))),
  /** Returns the saved CSV's path, or "" when the user cancelled. */
  export: (f: AuditFilter): Promise<string> => call(() => AuditFn.Export(toGo(app.AuditFilter, f))),
  verify: (): Promise<AuditCheck> => call(() => AuditFn.Verify()),
};

export const calendarApi = {
  setup: (): Promise<CalendarSetup> => call(() => CalendarFn.Setup()),
  /** At most 62 days at a time. */
  range: (q: CalendarQuery): Promise<CalendarRange> => call(() => CalendarFn.Range(toGo(app.CalendarQuery, q))),
  appointment: (id: string): Promise<AppointmentDetail> => call(() => CalendarFn.Appointment(id)),
  checkBooking: async (b: Booking): Promise<Conflict[]> =>
    list<Conflict>(await call(() => CalendarFn.CheckBooking(toGo(calendar.Booking, b)))),
  book: (b: Booking): Promise<BookingResult> => call(() => CalendarFn.Book(toGo(calendar.Booking, b))),
  checkMove: async (m: Move): Promise<Conflict[]> =>
    list<Conflict>(await call(() => CalendarFn.CheckMove(toGo(calendar.Move, m)))),
  move: (m: Move): Promise<ChangeResult> => call(() => CalendarFn.Move(toGo(calendar.Move, m))),
  setStatus: (sc: StatusChange): Promise<ChangeResult> =>
    call(() => CalendarFn.SetStatus(toGo(calendar.StatusChange, sc))),
  firstAvailable: async (q: SlotQuery): Promise<Slot[]> =>
    list<Slot>(await call(() => CalendarFn.FirstAvailable(toGo(calendar.SlotQuery, q)))),
  matchClinicians: async (need: Need, locationId: string, durationMin: number): Promise<ClinicianMatch[]> =>
    list<ClinicianMatch>(
      await call(() => CalendarFn.MatchClinicians(toGo(calendar.Need, need), locationId, durationMin)),
    ),
  saveType: (t: AppointmentType): Promise<AppointmentType> =>
    call(() => CalendarFn.SaveType(toGo(practice.AppointmentType, t))),
  /** Replaces the clinician's whole working week with blocks. */
  setHours: async (clinicianId: string, blocks: WorkingHours[]): Promise<WorkingHours[]> =>
    list<WorkingHours>(
      await call(() =>
        CalendarFn.SetHours(
          clinicianId,
          blocks.map((b) => toGo(practice.WorkingHours, b)),
        ),
      ),
    ),
  timeOff: async (span: CalendarSpan): Promise<TimeOff[]> =>
    list<TimeOff>(await call(() => CalendarFn.TimeOff(toGo(app.CalendarSpan, span)))),
  saveTimeOff: (o: TimeOff): Promise<TimeOff> => call(() => CalendarFn.SaveTimeOff(toGo(practice.TimeOff, o))),
  deleteTimeOff: (id: string): Promise<void> => call(() => CalendarFn.DeleteTimeOff(id)),
  waitlist: async (): Promise<WaitlistItem[]> => list<WaitlistItem>(await call(() => CalendarFn.Waitlist())),
  saveWaitlist: (e: WaitlistEntry): Promise<WaitlistItem> =>
    call(() => CalendarFn.SaveWaitlist(toGo(practice.WaitlistEntry, e))),
  /** Returns the saved file's path, or "" when the user cancelled. */
  exportFeed: (clinicianId: string): Promise<string> => call(() => CalendarFn.ExportFeed(clinicianId)),
  /** Returns the saved PDF's path, or "" when the user cancelled; day is YYYY-MM-DD. */
  printDay: (clinicianId: string, day: string): Promise<string> => call(() => CalendarFn.PrintDay(clinicianId, day)),
};
