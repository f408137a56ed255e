// The calendar: setup, appointments, series, time off and the waitlist (app/calendar.go).

import * as CalendarFn from '../../../wailsjs/go/app/Calendar';
import { app, calendar, practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type {
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
  PatientVisits,
  Removal,
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
} from './calendar.types';

export const calendarApi = {
  setup: (): Promise<CalendarSetup> => call(() => CalendarFn.Setup()),
  /** At most 62 days at a time. */
  range: (q: CalendarQuery): Promise<CalendarRange> => call(() => CalendarFn.Range(toGo(app.CalendarQuery, q))),
  appointment: (id: string): Promise<AppointmentDetail> => call(() => CalendarFn.Appointment(id)),
  /** A patient's appointments for their record (audited as a read of it). */
  patientAppointments: (patientId: string): Promise<PatientVisits> =>
    call(() => CalendarFn.PatientAppointments(patientId)),
  checkBooking: async (b: Booking): Promise<Conflict[]> =>
    list<Conflict>(await call(() => CalendarFn.CheckBooking(toGo(calendar.Booking, b)))),
  book: (b: Booking): Promise<BookingResult> => call(() => CalendarFn.Book(toGo(calendar.Booking, b))),
  checkMove: async (m: Move): Promise<Conflict[]> =>
    list<Conflict>(await call(() => CalendarFn.CheckMove(toGo(calendar.Move, m)))),
  move: (m: Move): Promise<ChangeResult> => call(() => CalendarFn.Move(toGo(calendar.Move, m))),
  /** Deletes a booking made in error (audited with its reason). */
  removeBooking: (r: Removal): Promise<void> => call(() => CalendarFn.RemoveBooking(toGo(calendar.Removal, r))),
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
  /** The booked sessions time off would leave under it (writes nothing). */
  checkTimeOff: async (o: TimeOff): Promise<Conflict[]> =>
    list<Conflict>(await call(() => CalendarFn.CheckTimeOff(toGo(practice.TimeOff, o)))),
  deleteTimeOff: (id: string): Promise<void> => call(() => CalendarFn.DeleteTimeOff(id)),
  waitlist: async (): Promise<WaitlistItem[]> => list<WaitlistItem>(await call(() => CalendarFn.Waitlist())),
  saveWaitlist: (e: WaitlistEntry): Promise<WaitlistItem> =>
    call(() => CalendarFn.SaveWaitlist(toGo(practice.WaitlistEntry, e))),
  /** Returns the saved file's path, or "" when the user cancelled. */
  exportFeed: (clinicianId: string): Promise<string> => call(() => CalendarFn.ExportFeed(clinicianId)),
  /** Returns the saved PDF's path, or "" when the user cancelled; day is YYYY-MM-DD. */
  printDay: (clinicianId: string, day: string): Promise<string> => call(() => CalendarFn.PrintDay(clinicianId, day)),
};
