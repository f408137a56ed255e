import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { payer } from '../../test/factories';
import { ReferenceStore } from './reference.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('ReferenceStore', () => {
  beforeEach(() => vi.clearAllMocks());

  it('adds a new payer and replaces an edited one', async () => {
    const s = new ReferenceStore();
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
    const s = new ReferenceStore();
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

  it('names payers', async () => {
    const y = payer({ name: 'Lakeside EAP', kind: 'eap' });
    vi.mocked(api.practiceApi.payers).mockResolvedValue([y]);
    const s = new ReferenceStore();
    await s.loadPayers();
    expect(s.payerName(y.id)).toBe('Lakeside EAP');
    expect(s.payerName('nope')).toBe('Unknown payer');
  });
});

describe('ReferenceStore.refresh', () => {
  beforeEach(() => vi.clearAllMocks());

  it('reloads only the lists a screen loaded, and only when their tables changed', async () => {
    const s = new ReferenceStore();
    vi.mocked(api.practiceApi.payers).mockResolvedValue([payer({ name: 'A' })]);
    await s.loadPayers();
    vi.mocked(api.practiceApi.payers).mockResolvedValue([payer({ name: 'A' }), payer({ name: 'B' })]);

    await s.refresh(['clinicians', 'rooms']);
    expect(api.practiceApi.payers).toHaveBeenCalledTimes(1);
    expect(api.practiceApi.clinicians).not.toHaveBeenCalled();
    expect(api.practiceApi.rooms).not.toHaveBeenCalled();

    await s.refresh(['payers']);
    expect(s.payers.map((p) => p.name)).toEqual(['A', 'B']);
  });
});
