import { describe, expect, it } from 'vitest';
import {
  canSubmit,
  draftFieldErrors,
  missingForBooking,
  emptyDraft,
  setStart,
  toBooking,
  type BookingDraft,
} from './booking';

const LA = 'America/Los_Angeles';

function draft(over: Partial<BookingDraft> = {}): BookingDraft {
  const d = { ...emptyDraft(), patientId: 'p1', clinicianId: 'c1', typeId: 't1', locationId: 'l1', ...over };
  if (!d.date) setStart(d, '2026-03-10', '09:00');
  return d;
}

describe('booking draft', () => {
  it('books a one-off at the wall clock of the practice zone', () => {
    const b = toBooking(draft(), LA);
    expect(b.appointment.start).toBe('2026-03-10T16:00:00.000Z');
    expect(b.appointment.end).toBe('2026-03-10T16:50:00.000Z');
    expect(b.recurrence).toBeUndefined();
  });

  it('makes a weekly open-ended series on the start day by default', () => {
    const b = toBooking(draft({ repeat: 'weekly' }), LA);
    expect(b.recurrence).toEqual({ frequency: 'weekly', interval: 1, weekdays: [2], week: 0, until: '', count: 0 });
  });

  it('moves the default weekday with the start, but keeps days chosen by hand', () => {
    const d = draft();
    setStart(d, '2026-03-12', '09:00');
    expect(d.weekdays).toEqual([4]);
    d.weekdays = [1, 4];
    setStart(d, '2026-03-13', '09:00');
    expect(d.weekdays).toEqual([1, 4]);
  });

  it('makes a monthly series on the n-th weekday, ending after a count', () => {
    const d = draft({ repeat: 'monthly', ends: 'after', count: 6 });
    setStart(d, '2026-03-31', '10:00');
    expect(toBooking(d, LA).recurrence).toMatchObject({ frequency: 'monthly', week: -1, count: 6, until: '' });
  });

  it('drops room and location for telehealth', () => {
    const a = toBooking(draft({ telehealth: true, roomId: 'r1' }), LA).appointment;
    expect([a.locationId, a.roomId, a.telehealth]).toEqual(['', '', true]);
  });

  it('needs an override reason over a hard conflict only', () => {
    const hard = [{ kind: 'clinician', hard: true, message: 'x', otherId: 'a', start: '' }];
    const soft = [{ kind: 'hours', hard: false, message: 'x', otherId: '', start: '' }];
    expect(canSubmit(draft(), soft)).toBe(true);
    expect(canSubmit(draft(), hard)).toBe(false);
    expect(canSubmit(draft({ overrideReason: 'agreed with both' }), hard)).toBe(true);
  });

  it('says what a disabled Book is waiting for', () => {
    const hard = [{ kind: 'clinician', hard: true, message: 'x', otherId: 'a', start: '' }];
    expect(missingForBooking(draft({ patientId: '', clinicianId: '' }), [])).toBe(
      'Still needed: a patient, a clinician.',
    );
    expect(missingForBooking(draft({ date: '2026-03-10', time: '' }), [])).toBe('Still needed: a date and start time.');
    expect(missingForBooking(draft({ date: '2026-02-30', time: '09:00' }), [])).toBe(
      'Still needed: a date and start time.',
    );
    expect(missingForBooking(draft({ durationMin: 0 }), [])).toBe('Still needed: the minutes.');
    expect(missingForBooking(draft(), hard)).toBe('Give a reason to book anyway, or change the time.');
    expect(missingForBooking(draft(), [])).toBe('');
  });

  it('maps the backend field names onto the dialog', () => {
    expect(draftFieldErrors({ 'appointment.start': 'a', 'recurrence.weekdays': 'b' })).toEqual({
      time: 'a',
      weekdays: 'b',
    });
  });
});
