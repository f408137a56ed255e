import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../api';
import { calendarSetup, status } from '../../../test/factories';
import { calendarStore } from '../../stores/calendar.svelte';
import { session } from '../../stores/session.svelte';
import { toasts } from '../../stores/toasts.svelte';
import BookingDialog from './BookingDialog.svelte';

vi.mock('../../api', async (orig) =>
  (await import('../../../test/api-mock')).mockApi(await orig<typeof import('../../api')>()),
);

const CLASH = {
  kind: 'clinician',
  hard: true,
  message: 'Ana Ruiz already sees Sam H. on Tue, Mar 10, 9:00 AM – 9:53 AM.',
  otherId: 'appt-9',
  start: '2026-03-10T16:00:00Z',
};

describe('BookingDialog', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    toasts.clear();
    session.status = status();
    calendarStore.reset();
    calendarStore.adopt(calendarSetup());
  });

  const initial = {
    patientId: 'pat-1',
    patientName: 'Avery Lindqvist',
    clinicianId: 'cli-1',
    date: '2026-03-10',
    time: '09:00',
  };

  it('names the clash and books over it only with a reason', async () => {
    const user = userEvent.setup();
    vi.mocked(api.calendarApi.checkBooking).mockResolvedValue([CLASH]);
    vi.mocked(api.calendarApi.book).mockResolvedValue({ appointments: [], conflicts: [CLASH], seriesId: '' });
    vi.mocked(api.calendarApi.range).mockResolvedValue({ events: [], timeOff: [] });
    render(BookingDialog, { open: true, initial });

    expect(await screen.findByText(CLASH.message, {}, { timeout: 2000 })).toBeInTheDocument();
    const book = screen.getByRole('button', { name: 'Book' });
    expect(book).toBeDisabled();
    await user.type(screen.getByLabelText(/Reason to book anyway/), 'Agreed with both');
    expect(book).toBeEnabled();
    await user.click(book);

    const sent = vi.mocked(api.calendarApi.book).mock.calls[0][0];
    expect(sent.appointment).toMatchObject({
      patientId: 'pat-1',
      clinicianId: 'cli-1',
      typeId: 'type-1',
      locationId: 'loc-1',
      start: '2026-03-10T16:00:00.000Z',
      end: '2026-03-10T16:53:00.000Z', // the type's 53 minutes
      overrideReason: 'Agreed with both',
    });
    expect(sent.recurrence).toBeUndefined();
  });

  it('books a weekly series on the start day, open-ended', async () => {
    const user = userEvent.setup();
    vi.mocked(api.calendarApi.checkBooking).mockResolvedValue([]);
    vi.mocked(api.calendarApi.book).mockResolvedValue({ appointments: [], conflicts: [], seriesId: 's1' });
    vi.mocked(api.calendarApi.range).mockResolvedValue({ events: [], timeOff: [] });
    render(BookingDialog, { open: true, initial });

    await user.click(screen.getByLabelText('Weekly'));
    await user.click(screen.getByRole('button', { name: 'Book series' }));
    expect(vi.mocked(api.calendarApi.book).mock.calls[0][0].recurrence).toEqual({
      frequency: 'weekly',
      interval: 1,
      weekdays: [2],
      week: 0,
      until: '',
      count: 0,
    });
  });

  it('shows the backend’s field problems on the fields', async () => {
    const user = userEvent.setup();
    vi.mocked(api.calendarApi.checkBooking).mockResolvedValue([]);
    vi.mocked(api.calendarApi.book).mockRejectedValue(
      new api.ApiError('invalid', 'Please correct the highlighted fields.', {
        'recurrence.weekdays': 'Choose at least one day of the week.',
      }),
    );
    render(BookingDialog, { open: true, initial });
    await user.click(screen.getByLabelText('Weekly'));
    await user.click(screen.getByLabelText('Tuesday'));
    await user.click(screen.getByRole('button', { name: 'Book series' }));
    expect(await screen.findByText('Choose at least one day of the week.')).toBeInTheDocument();
  });
});
