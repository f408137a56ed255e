// Turns what the backend returns into what the calendar component draws:
// appointments, and background blocks for time off and non-working hours.
// Every item is mapped on its own and a bad one is dropped, so one broken
// entry can never take down a day.

import type { AppointmentType, CalendarEvent, TimeOff, WorkingHours } from '../api';
import { addDays, clockKey, clockMinutes, dateKey, floating, pad, toFloating, weekdayOf, type WallClock } from './zone';

/** What the calendar component draws; a subset of its EventInput. */
export interface DrawnEvent {
  id: string;
  start: string;
  end: string;
  title: string;
  resourceIds?: string[];
  display?: 'auto' | 'background';
  backgroundColor?: string;
  classNames: string[];
  editable?: boolean;
  extendedProps: { appointment?: CalendarEvent; typeName?: string };
}

export const STATUS_LABELS: Record<string, string> = {
  scheduled: 'Scheduled',
  confirmed: 'Confirmed',
  checked_in: 'Checked in',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

/** Cancelled and no-show sessions no longer hold their slot and cannot be dragged. */
export function isOpenStatus(status: string): boolean {
  return status !== 'cancelled' && status !== 'no_show';
}

const FALLBACK_COLOR = '#64748b';

export interface MapContext {
  zone: string;
  typeOf: (id: string) => AppointmentType | undefined;
  /** The resource column an appointment belongs in (clinician or room); null in views without columns. */
  resourceOf: ((e: CalendarEvent) => string) | null;
  /** Whether the account may move appointments. */
  canMove: boolean;
}

/** One appointment as drawn, or null when it cannot be drawn (bad times). */
export function appointmentEvent(e: CalendarEvent, ctx: MapContext): DrawnEvent | null {
  try {
    const start = toFloating(e.start, ctx.zone);
    const end = toFloating(e.end, ctx.zone);
    if (!e.id || !start || !end || end <= start) return null;
    const resource = ctx.resourceOf?.(e);
    if (e.busy) {
      // A colleague's booked time, as a clinician sees it: when, and nothing else.
      return {
        id: e.id,
        start,
        end,
        title: 'Busy',
        resourceIds: resource ? [resource] : undefined,
        classNames: ['busy'],
        editable: false,
        extendedProps: { appointment: e },
      };
    }
    const type = ctx.typeOf(e.typeId);
    const status = STATUS_LABELS[e.status] ? e.status : 'scheduled';
    const classNames = ['appt', `status-${status.replace('_', '-')}`];
    if (e.telehealth) classNames.push('telehealth');
    return {
      id: e.id,
      start,
      end,
      title: e.patientName || 'Patient',
      resourceIds: resource ? [resource] : undefined,
      backgroundColor: type?.color || FALLBACK_COLOR,
      classNames,
      editable: ctx.canMove && isOpenStatus(status) && status !== 'completed',
      extendedProps: { appointment: e, typeName: type?.name ?? 'Appointment' },
    };
  } catch {
    return null;
  }
}

/** Appointments as drawn, dropping any that cannot be. */
export function appointmentEvents(list: readonly CalendarEvent[], ctx: MapContext): DrawnEvent[] {
  const out: DrawnEvent[] = [];
  for (const e of list) {
    const d = appointmentEvent(e, ctx);
    if (d) out.push(d);
  }
  return out;
}

/** Time off and blocked time as background blocks in their clinician's or room's column. */
export function timeOffEvents(list: readonly TimeOff[], zone: string, byRoom: boolean): DrawnEvent[] {
  const out: DrawnEvent[] = [];
  for (const o of list) {
    const owner = byRoom ? o.roomId : o.clinicianId;
    const start = toFloating(o.start, zone);
    const end = toFloating(o.end, zone);
    if (!owner || !start || !end || end <= start) continue;
    out.push({
      id: `off-${o.id}`,
      start,
      end,
      title: o.kind === 'blocked' ? 'Blocked' : 'Away',
      resourceIds: [owner],
      display: 'background',
      classNames: ['time-off'],
      extendedProps: {},
    });
  }
  return out;
}

/**
 * Shades the time each clinician is not working, day by day over
 * [first, first + days): the complement of their working hours (at
 * locationId when given).
 */
export function offHoursEvents(
  hours: readonly WorkingHours[],
  clinicianIds: readonly string[],
  first: WallClock,
  days: number,
  locationId: string,
): DrawnEvent[] {
  const out: DrawnEvent[] = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(first, i);
    const weekday = weekdayOf(day);
    for (const cid of clinicianIds) {
      const blocks = hours
        .filter((h) => h.clinicianId === cid && h.weekday === weekday && (!locationId || h.locationId === locationId))
        .map((h) => [clockMinutes(h.start), clockMinutes(h.end)] as const)
        .filter((b): b is readonly [number, number] => b[0] !== null && b[1] !== null && b[1] > b[0])
        .sort((a, b) => a[0] - b[0]);
      let from = 0;
      for (const [s, e] of [...blocks, [24 * 60, 24 * 60] as const]) {
        if (s > from) out.push(offBlock(cid, day, from, s));
        from = Math.max(from, e);
      }
    }
  }
  return out;
}

function offBlock(clinicianId: string, day: WallClock, from: number, to: number): DrawnEvent {
  const at = (m: number) =>
    m >= 24 * 60
      ? floating({ ...addDays(day, 1), hour: 0, minute: 0 })
      : `${dateKey(day)}T${clockKey({ hour: Math.floor(m / 60), minute: m % 60 })}:00`;
  return {
    id: `hours-${clinicianId}-${dateKey(day)}-${pad(Math.floor(from / 60))}${pad(from % 60)}`,
    start: at(from),
    end: at(to),
    title: '',
    resourceIds: [clinicianId],
    display: 'background',
    classNames: ['off-hours'],
    extendedProps: {},
  };
}
