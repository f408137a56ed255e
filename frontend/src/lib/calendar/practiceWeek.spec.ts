import { describe, expect, it } from 'vitest';
import type { TimeOff, WorkingHours } from '../api';
import { appointmentType, calendarEvent } from '../../test/factories';
import { appointmentEvents } from './events';
import { moveInWeek, movedToDay, shortTime, weekCells, weekOf, type WeekSource } from './practiceWeek';

const zone = 'America/Los_Angeles'; // PDT (UTC−7) from 2026-03-08
const type = appointmentType({ id: 'type-1' });
const drawn = (list: Parameters<typeof appointmentEvents>[0]) =>
  appointmentEvents(list, { zone, typeOf: () => type, resourceOf: null, canMove: true });
const clinicianOf = (d: { extendedProps: { appointment?: { clinicianId: string } } }) =>
  d.extendedProps.appointment?.clinicianId ?? '';

const hours = (clinicianId: string, weekday: number, locationId = 'loc-1'): WorkingHours => ({
  id: `${clinicianId}-${weekday}`,
  clinicianId,
  locationId,
  weekday,
  start: '09:00',
  end: '17:00',
});
const off = (clinicianId: string, kind: string, start: string, end: string): TimeOff => ({
  id: `${clinicianId}-${start}`,
  clinicianId,
  roomId: '',
  kind,
  start,
  end,
  reason: '',
});

/** A week of 10 March 2026 for cli-1 and cli-2 with nothing in it; each test adds what it is about. */
const week = (over: Partial<WeekSource>) =>
  weekCells({
    days: weekOf('2026-03-10'),
    clinicianIds: ['cli-1', 'cli-2'],
    appointments: [],
    clinicianOf,
    hours: [],
    locationId: '',
    timeOff: [],
    zone,
    ...over,
  });

describe('the practice-wide week', () => {
  it('is the Monday-first week holding the day, across a month and a year', () => {
    const march = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15'];
    expect(weekOf('2026-03-11')).toEqual(march); // a Wednesday
    expect(weekOf('2026-03-09')).toEqual(march); // its Monday
    expect(weekOf('2026-03-15')).toEqual(march); // its Sunday
    expect(weekOf('2027-01-01')).toEqual([
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ]);
    expect(weekOf('next week')).toEqual([]);
  });

  it("puts each appointment in its clinician's row on its day, in time order, leaving out the rest", () => {
    const rows = week({
      appointments: drawn([
        calendarEvent({ id: 'late', clinicianId: 'cli-1', start: '2026-03-10T22:00:00Z', end: '2026-03-10T22:53:00Z' }),
        calendarEvent({
          id: 'early',
          clinicianId: 'cli-1',
          start: '2026-03-10T16:00:00Z',
          end: '2026-03-10T16:53:00Z',
        }),
        // 23:30 on Sunday the 15th in Los Angeles: still this week, on its last day.
        calendarEvent({
          id: 'sunday',
          clinicianId: 'cli-2',
          start: '2026-03-16T06:30:00Z',
          end: '2026-03-16T07:00:00Z',
        }),
        // 00:30 on Monday the 16th: next week.
        calendarEvent({ id: 'next', clinicianId: 'cli-2', start: '2026-03-16T07:30:00Z', end: '2026-03-16T08:00:00Z' }),
        calendarEvent({
          id: 'other',
          clinicianId: 'cli-9',
          start: '2026-03-10T16:00:00Z',
          end: '2026-03-10T16:53:00Z',
        }),
      ]),
    });
    expect([...rows.keys()]).toEqual(['cli-1', 'cli-2']);
    const ids = (cid: string) => rows.get(cid)!.map((c) => c.appointments.map((a) => a.id));
    expect(ids('cli-1')).toEqual([[], ['early', 'late'], [], [], [], [], []]);
    expect(ids('cli-2')).toEqual([[], [], [], [], [], [], ['sunday']]);
    expect(rows.get('cli-1')![1].appointments[0].start).toBe('2026-03-10T09:00:00');
  });

  it('marks the days each clinician works, at the location filtered on', () => {
    const h = [hours('cli-1', 1), hours('cli-1', 3), hours('cli-2', 2, 'loc-2'), hours('cli-2', 4)];
    const working = (loc: string) => {
      const rows = week({ hours: h, locationId: loc });
      return [...rows.values()].map((cells) => cells.map((c) => c.working));
    };
    expect(working('')).toEqual([
      [true, false, true, false, false, false, false],
      [false, true, false, true, false, false, false],
    ]);
    expect(working('loc-2')).toEqual([
      [false, false, false, false, false, false, false],
      [false, true, false, false, false, false, false],
    ]);
  });

  it('labels time off on every day it touches, in the practice’s wall clock', () => {
    const rows = week({
      clinicianIds: ['cli-1'],
      timeOff: [
        off('cli-1', 'away', '2026-03-10T17:00:00Z', '2026-03-10T19:00:00Z'), // Tue 10:00–12:00
        off('cli-1', 'away', '2026-03-12T07:00:00Z', '2026-03-14T07:00:00Z'), // Thu and Fri, whole days
        off('cli-1', 'blocked', '2026-03-13T22:00:00Z', '2026-03-14T01:00:00Z'), // Fri 15:00–18:00
        off('cli-1', 'away', '2026-03-15T20:00:00Z', '2026-03-17T20:00:00Z'), // from Sun 13:00 into next week
        off('cli-2', 'away', '2026-03-10T17:00:00Z', '2026-03-10T19:00:00Z'), // not shown
      ],
    });
    expect(rows.get('cli-1')!.map((c) => c.timeOff)).toEqual([
      [],
      ['Away 10:00–12:00'],
      [],
      ['Away all day'],
      ['Away all day', 'Blocked 15:00–18:00'],
      [],
      ['Away 13:00–24:00'],
    ]);
  });

  it('moves an appointment to another day at the same time of day and length', () => {
    const local = (d: Date) => [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()];
    const m = movedToDay('2026-03-10T09:00:00', '2026-03-10T09:53:00', '2026-03-12')!;
    expect(local(m.start)).toEqual([2026, 3, 12, 9, 0]);
    expect(local(m.end)).toEqual([2026, 3, 12, 9, 53]);
    // Across midnight and the end of a month.
    const late = movedToDay('2026-03-10T23:30:00', '2026-03-11T00:30:00', '2026-03-31')!;
    expect(local(late.start)).toEqual([2026, 3, 31, 23, 30]);
    expect(local(late.end)).toEqual([2026, 4, 1, 0, 30]);
    expect(movedToDay('2026-03-10T09:00:00', '2026-03-10T09:53:00', 'Thursday')).toBeNull();
  });

  it('writes a start time short, on the practice’s clock', () => {
    const at = (t: string) => `2026-03-10T${t}:00`;
    expect(['00:00', '08:00', '09:05', '12:00', '12:30', '13:30', '23:59'].map((t) => shortTime(at(t), '12h'))).toEqual(
      ['12am', '8am', '9:05am', '12pm', '12:30pm', '1:30pm', '11:59pm'],
    );
    expect(['00:00', '08:00', '13:30'].map((t) => shortTime(at(t), '24h'))).toEqual(['00:00', '08:00', '13:30']);
  });

  it('moves the focus with the arrow keys through days and clinicians, skipping empty days', () => {
    // Three clinicians, four days; a–i are appointments.
    const week = [
      [['a', 'b'], [], ['c'], []],
      [[], [], [], []],
      [['d'], ['e', 'f', 'g'], [], ['h', 'i']],
    ];
    const move = (row: number, day: number, index: number, key: string) => {
      const to = moveInWeek(week, { row, day, index }, key);
      return to && week[to.row][to.day][to.index];
    };
    expect(move(0, 0, 0, 'ArrowDown')).toBe('b');
    expect(move(0, 0, 1, 'ArrowDown')).toBe('d'); // over the clinician with nothing that day
    expect(move(2, 0, 0, 'ArrowDown')).toBeNull();
    expect(move(2, 0, 0, 'ArrowUp')).toBe('b'); // the last of the day above
    expect(move(0, 0, 1, 'ArrowUp')).toBe('a');
    expect(move(0, 0, 0, 'ArrowUp')).toBeNull();
    expect(move(0, 0, 1, 'ArrowRight')).toBe('c'); // over the empty Tuesday, to the one there is
    expect(move(0, 2, 0, 'ArrowRight')).toBeNull();
    expect(move(2, 1, 2, 'ArrowRight')).toBe('i'); // the same place in the list, or the last
    expect(move(2, 3, 1, 'ArrowLeft')).toBe('f');
    expect(move(2, 1, 0, 'ArrowLeft')).toBe('d');
    expect(move(2, 1, 1, 'Home')).toBe('d');
    expect(move(2, 0, 0, 'End')).toBe('i');
    expect(move(0, 0, 0, 'Enter')).toBeNull();
  });
});
