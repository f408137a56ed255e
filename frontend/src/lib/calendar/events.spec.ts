import { describe, expect, it } from 'vitest';
import { appointmentType, calendarEvent } from '../../test/factories';
import { appointmentEvents, offHoursEvents, timeOffEvents, type MapContext } from './events';

const type = appointmentType({ id: 'type-1', color: '#0f766e', name: 'Intake' });
const ctx: MapContext = {
  zone: 'America/Los_Angeles',
  typeOf: (id) => (id === type.id ? type : undefined),
  resourceOf: (e) => e.clinicianId,
  canMove: true,
};

describe('calendar events', () => {
  it('draws an appointment at its wall clock, colored by type, in its clinician’s column', () => {
    const [d] = appointmentEvents([calendarEvent({ id: 'a1', telehealth: true })], ctx);
    expect(d).toMatchObject({
      id: 'a1',
      start: '2026-03-10T09:00:00',
      end: '2026-03-10T09:53:00',
      resourceIds: ['cli-1'],
      backgroundColor: '#0f766e',
      editable: true,
    });
    expect(d.classNames).toEqual(['appt', 'status-scheduled', 'telehealth']);
  });

  it('marks cancelled and no-show sessions and does not let them be dragged', () => {
    const drawn = appointmentEvents(
      [calendarEvent({ status: 'cancelled' }), calendarEvent({ status: 'no_show' })],
      ctx,
    );
    expect(drawn.map((d) => [d.classNames[1], d.editable])).toEqual([
      ['status-cancelled', false],
      ['status-no-show', false],
    ]);
  });

  it("draws a colleague's booked time as Busy in their column, without patient or type, and fixed", () => {
    const [d] = appointmentEvents(
      [calendarEvent({ id: 'b1', busy: true, patientId: '', patientName: '', typeId: '', clinicianId: 'cli-2' })],
      ctx,
    );
    expect(d).toMatchObject({ id: 'b1', title: 'Busy', resourceIds: ['cli-2'], classNames: ['busy'], editable: false });
    expect(d.backgroundColor).toBeUndefined();
  });

  it('drops a broken entry and keeps the rest of the day', () => {
    const drawn = appointmentEvents(
      [
        calendarEvent({ id: 'ok' }),
        calendarEvent({ id: 'bad-time', start: 'garbage' }),
        calendarEvent({ id: 'backwards', end: '2026-03-10T15:00:00Z' }),
        calendarEvent({ id: '' }),
        calendarEvent({ id: 'unknown-type', typeId: 'gone', status: 'weird' }),
      ],
      ctx,
    );
    expect(drawn.map((d) => d.id)).toEqual(['ok', 'unknown-type']);
    expect(drawn[1].classNames).toContain('status-scheduled');
  });

  it('shades time off in its clinician’s column', () => {
    const [b] = timeOffEvents(
      [
        {
          id: 'o1',
          clinicianId: 'cli-1',
          roomId: '',
          kind: 'away',
          start: '2026-03-10T17:00:00Z',
          end: '2026-03-10T20:00:00Z',
          reason: '',
        },
      ],
      'America/Los_Angeles',
      false,
    );
    expect(b).toMatchObject({ display: 'background', resourceIds: ['cli-1'], start: '2026-03-10T10:00:00' });
  });

  it('shades the hours a clinician does not work', () => {
    const hours = [
      { id: 'h1', clinicianId: 'cli-1', locationId: 'loc-1', weekday: 2, start: '08:00', end: '12:00' },
      { id: 'h2', clinicianId: 'cli-1', locationId: 'loc-1', weekday: 2, start: '13:00', end: '18:00' },
    ];
    const tuesday = { year: 2026, month: 3, day: 10, hour: 0, minute: 0 };
    const off = offHoursEvents(hours, ['cli-1'], tuesday, 1, '').map((b) => [b.start, b.end]);
    expect(off).toEqual([
      ['2026-03-10T00:00:00', '2026-03-10T08:00:00'],
      ['2026-03-10T12:00:00', '2026-03-10T13:00:00'],
      ['2026-03-10T18:00:00', '2026-03-11T00:00:00'],
    ]);
  });
});
