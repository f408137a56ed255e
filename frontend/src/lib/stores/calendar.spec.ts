import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { calendarEvent, calendarSetup, changeResult, clinician } from '../../test/factories';
import { emptyDraft, toBooking } from '../calendar/booking';
import { ZERO_TIME } from '../calendar/zone';
import { CalendarStore, MAX_RANGE_DAYS } from './calendar.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

const MARCH_9 = { year: 2026, month: 3, day: 9, hour: 0, minute: 0 };

describe('CalendarStore', () => {
  let s: CalendarStore;
  beforeEach(async () => {
    vi.clearAllMocks();
    vi.mocked(api.calendarApi.setup).mockResolvedValue(
      calendarSetup({ clinicians: [clinician({ id: 'cli-1' }), clinician({ id: 'cli-2', active: false })] }),
    );
    vi.mocked(api.calendarApi.range).mockResolvedValue({ events: [calendarEvent()], timeOff: null });
    s = new CalendarStore();
    await s.loadSetup();
  });

  it('loads the setup and starts on today, on the first active clinician', () => {
    expect(s.loaded).toBe(true);
    expect(s.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.clinicianId).toBe('cli-1');
    expect(s.clinicians.map((c) => c.id)).toEqual(['cli-1']);
  });

  it('asks the backend for the shown days only, as UTC instants of the practice zone', async () => {
    await s.loadRange(MARCH_9, 7);
    expect(api.calendarApi.range).toHaveBeenCalledWith({
      from: '2026-03-09T07:00:00.000Z', // midnight in Los Angeles (daylight time began March 8)
      to: '2026-03-16T07:00:00.000Z',
      clinicianIds: [],
      locationId: '',
      roomId: '',
    });
    expect(s.events).toHaveLength(1);
    expect(s.timeOff).toEqual([]);
  });

  it('never asks for more than the backend allows', async () => {
    await s.loadRange(MARCH_9, 90);
    expect(s.shown?.days).toBe(MAX_RANGE_DAYS);
  });

  it('does not load the same range twice when the component reports it again', async () => {
    await s.loadRange(MARCH_9, 7);
    await s.loadRange({ ...MARCH_9 }, 7);
    expect(api.calendarApi.range).toHaveBeenCalledTimes(1);
  });

  it('keeps the newest answer when an older one arrives late', async () => {
    let answerOld: (v: { events: ReturnType<typeof calendarEvent>[]; timeOff: null }) => void = () => undefined;
    vi.mocked(api.calendarApi.range)
      .mockImplementationOnce(() => new Promise((r) => (answerOld = r)))
      .mockResolvedValueOnce({ events: [calendarEvent({ id: 'new' })], timeOff: null });
    const older = s.loadRange(MARCH_9, 1);
    await vi.waitFor(() => expect(api.calendarApi.range).toHaveBeenCalledTimes(1)); // asked, not answered
    await s.loadRange({ ...MARCH_9, day: 10 }, 1);
    answerOld({ events: [calendarEvent({ id: 'old' })], timeOff: null });
    await older;
    expect(s.events.map((e) => e.id)).toEqual(['new']);
  });

  it('asks once, for the last range, when a view change and the new view ask together', async () => {
    const reload = s.loadRange(MARCH_9, 1); // the day view, as it was
    const week = s.loadRange({ ...MARCH_9, day: 16 }, 7); // the week view, in the same tick
    await Promise.all([reload, week]);
    expect(api.calendarApi.range).toHaveBeenCalledTimes(1);
    expect(vi.mocked(api.calendarApi.range).mock.lastCall?.[0].from).toBe('2026-03-16T07:00:00.000Z');
    expect(s.shown?.days).toBe(7);
  });

  it('shows one clinician in the one-clinician view and a location in the room view', async () => {
    s.view = 'clinician';
    await s.loadRange(MARCH_9, 7);
    expect(vi.mocked(api.calendarApi.range).mock.lastCall?.[0].clinicianIds).toEqual(['cli-1']);
    s.view = 'rooms';
    await s.reload();
    expect(vi.mocked(api.calendarApi.range).mock.lastCall?.[0].locationId).toBe('loc-1');
  });

  it('steps a day, a week or a month at a time', () => {
    s.date = '2026-01-31';
    s.view = 'day';
    s.step(1);
    expect(s.date).toBe('2026-02-01');
    s.view = 'week';
    s.step(-1);
    expect(s.date).toBe('2026-01-25');
    s.view = 'month';
    s.step(1);
    expect(s.date).toBe('2026-02-01');
  });

  it('reloads the view after booking, moving and changing a status', async () => {
    await s.loadRange(MARCH_9, 1);
    vi.mocked(api.calendarApi.book).mockResolvedValue({ appointments: [], conflicts: [], seriesId: '' });
    vi.mocked(api.calendarApi.move).mockResolvedValue(changeResult());
    vi.mocked(api.calendarApi.setStatus).mockResolvedValue(changeResult());
    const move = {
      id: 'a1',
      start: '2026-03-10T17:00:00Z',
      end: '2026-03-10T17:50:00Z',
      clinicianId: 'cli-1',
      locationId: 'loc-1',
      roomId: '',
      telehealth: false,
      scope: '',
      overrideReason: '',
    };
    const checkIn = {
      to: 'checked_in',
      actualStart: ZERO_TIME,
      actualEnd: ZERO_TIME,
      cancelledBy: '',
      reason: '',
      waiveFee: false,
    };
    await s.book(toBooking(emptyDraft(), s.zone));
    await s.move(move);
    await s.setStatus({ id: 'a1', change: checkIn, scope: '' });
    expect(api.calendarApi.range).toHaveBeenCalledTimes(4);
  });

  it('keeps the other clinicians’ hours when one clinician’s week is replaced', async () => {
    const block = { id: 'h1', clinicianId: 'cli-1', locationId: 'loc-1', weekday: 1, start: '09:00', end: '17:00' };
    s.setup = { ...s.setup, hours: [{ ...block, id: 'old', clinicianId: 'cli-2' }] };
    vi.mocked(api.calendarApi.setHours).mockResolvedValue([block]);
    await s.setHours('cli-1', [block]);
    expect(s.hours.map((h) => h.id)).toEqual(['old', 'h1']);
  });
});
