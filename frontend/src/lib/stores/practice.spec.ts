import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { payer } from '../../test/factories';
import { joinList, PracticeStore, splitList } from './practice.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('PracticeStore', () => {
  beforeEach(() => vi.clearAllMocks());

  it('adds a new payer and replaces an edited one', async () => {
    const s = new PracticeStore();
    const a = payer({ name: 'A' });
    vi.mocked(api.practiceApi.payers).mockResolvedValue([a]);
    await s.loadPayers();
    const b = payer({ name: 'B' });
    vi.mocked(api.practiceApi.savePayer)
      .mockResolvedValueOnce(b)
      .mockResolvedValueOnce({ ...a, name: 'A2' });
    await s.savePayer({ ...b, id: '' });
    await s.savePayer({ ...a, name: 'A2' });
    expect(s.payers.map((p) => p.name)).toEqual(['A2', 'B']);
  });

  it('loads locations with their rooms', async () => {
    const s = new PracticeStore();
    const addr = { line1: '', line2: '', city: '', state: '', zip: '' };
    vi.mocked(api.practiceApi.locations).mockResolvedValue([
      { id: 'l1', name: 'Main', phone: '', address: addr, active: true },
    ]);
    vi.mocked(api.practiceApi.rooms).mockResolvedValue([
      { id: 'r1', locationId: 'l1', name: 'Room 1', active: true },
      { id: 'r2', locationId: 'l2', name: 'Elsewhere', active: true },
    ]);
    await s.loadLocations();
    expect(s.roomsAt('l1').map((r) => r.name)).toEqual(['Room 1']);
  });
});

describe('comma lists', () => {
  it('splits and trims', () => {
    expect(splitList(' anxiety, couples ,, trauma ')).toEqual(['anxiety', 'couples', 'trauma']);
    expect(splitList('')).toEqual([]);
    expect(joinList(['English', 'Spanish'])).toBe('English, Spanish');
    expect(joinList(null)).toBe('');
  });
});
