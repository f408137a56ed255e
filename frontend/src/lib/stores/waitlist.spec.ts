import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { waitlistItem } from '../../test/factories';
import { WaitlistStore } from './waitlist.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('WaitlistStore', () => {
  let s: WaitlistStore;
  beforeEach(() => {
    vi.clearAllMocks();
    s = new WaitlistStore();
  });

  it('keeps open entries sorted by priority', async () => {
    const routine = waitlistItem({ priority: 3 });
    vi.mocked(api.calendarApi.waitlist).mockResolvedValue([routine]);
    await s.load();
    const urgent = waitlistItem({ priority: 1 }, 'Sam Hale');
    vi.mocked(api.calendarApi.saveWaitlist).mockResolvedValue(urgent);
    await s.save(urgent.entry);
    expect(s.items.map((i) => i.name)).toEqual(['Sam Hale', 'Avery Lindqvist']);
  });

  it('drops an entry once it is booked', async () => {
    const item = waitlistItem();
    vi.mocked(api.calendarApi.waitlist).mockResolvedValue([item]);
    await s.load();
    vi.mocked(api.calendarApi.saveWaitlist).mockImplementation((e) => Promise.resolve({ entry: e, name: item.name }));
    await s.markBooked(item.entry);
    expect(api.calendarApi.saveWaitlist).toHaveBeenCalledWith({ ...item.entry, status: 'booked' });
    expect(s.items).toEqual([]);
  });
});
