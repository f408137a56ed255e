import { beforeEach, describe, expect, it, vi } from 'vitest';
import { devices, joining } from '../api/devices';
import type { PeerDevice, SyncStatus } from '../api/devices';
import { DevicesStore, JoinStore, offsetWords, percentDone, seenAgo } from './devices.svelte';

vi.mock('../api/devices', () => ({
  devices: {
    status: vi.fn(),
    openPairing: vi.fn(),
    closePairing: vi.fn(),
    connectAddress: vi.fn(),
    remove: vi.fn(),
    conflicts: vi.fn(),
    resolveConflict: vi.fn(),
  },
  joining: { discovered: vi.fn(), join: vi.fn(), onProgress: vi.fn() },
}));

function peer(over: Partial<PeerDevice>): PeerDevice {
  return {
    deviceId: 'dev-' + (over.name ?? 'x'),
    name: 'x',
    address: '10.0.0.2:47810',
    lastSeen: '',
    offsetMs: 0,
    clockSkewed: false,
    connected: false,
    removed: false,
    pending: 0,
    digestStatus: '',
    stuck: '',
    hub: false,
    keyLoaded: true,
    ...over,
  };
}

function status(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    deviceId: 'me',
    name: 'Front desk',
    listen: ':47810',
    running: true,
    problem: '',
    peers: [],
    connected: 0,
    pending: 0,
    openConflicts: 0,
    pairingOpen: false,
    pairingUntil: '',
    removedBy: '',
    ...over,
  };
}

describe('DevicesStore', () => {
  beforeEach(() => vi.clearAllMocks());

  it('lists connected peers first and removed ones last', async () => {
    vi.mocked(devices.status).mockResolvedValue(
      status({
        peers: [
          peer({ name: 'Gone', removed: true }),
          peer({ name: 'Back office' }),
          peer({ name: 'Hub', connected: true }),
        ],
      }),
    );
    const s = new DevicesStore();
    await s.refresh();
    expect(s.peers.map((p) => p.name)).toEqual(['Hub', 'Back office', 'Gone']);
  });

  it('forgets the pairing code once the window has closed', async () => {
    const s = new DevicesStore();
    vi.mocked(devices.openPairing).mockResolvedValue({ code: 'ABCD-EFGH', expires: '2026-11-24T10:05:00Z' });
    vi.mocked(devices.status).mockResolvedValueOnce(status({ pairingOpen: true }));
    await s.openPairing();
    expect(s.pairing?.code).toBe('ABCD-EFGH');
    vi.mocked(devices.status).mockResolvedValueOnce(status({ pairingOpen: false }));
    await s.refresh();
    expect(s.pairing).toBeNull();
  });

  it('reloads conflicts and status after resolving one', async () => {
    const s = new DevicesStore();
    vi.mocked(devices.resolveConflict).mockResolvedValue();
    vi.mocked(devices.conflicts).mockResolvedValue([]);
    vi.mocked(devices.status).mockResolvedValue(status());
    await s.resolve('c1', 'kept both');
    expect(devices.resolveConflict).toHaveBeenCalledWith('c1', 'kept both');
    expect(devices.conflicts).toHaveBeenCalled();
    expect(devices.status).toHaveBeenCalled();
  });
});

describe('JoinStore', () => {
  it('reports progress while joining and stops listening after', async () => {
    const off = vi.fn();
    let report: ((p: { phase: string; done: number; total: number }) => void) | undefined;
    vi.mocked(joining.onProgress).mockImplementation((fn) => {
      report = fn;
      return off;
    });
    vi.mocked(joining.join).mockImplementation(() => {
      report?.({ phase: 'copy', done: 50, total: 200 });
      return Promise.resolve({
        problem: '',
        problemCode: '',
        practiceExists: true,
        loggedIn: false,
        locked: false,
        practiceName: '',
        lockMinutes: 10,
        permissions: null,
        ownCaseload: false,
      });
    });
    const s = new JoinStore();
    const st = await s.join(' 10.0.0.5:47810 ', ' 7QX2M-K9D4B ');
    expect(joining.join).toHaveBeenCalledWith('10.0.0.5:47810', '7QX2M-K9D4B');
    expect(st.practiceExists).toBe(true);
    expect(percentDone(s.progress)).toBe(25);
    expect(off).toHaveBeenCalled();
    expect(s.joining).toBe(false);
  });
});

describe('words', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');
  it.each([
    ['', 'never'],
    ['2026-11-24T09:59:55Z', 'just now'],
    ['2026-11-24T09:59:30Z', '30 s ago'],
    ['2026-11-24T09:57:00Z', '3 min ago'],
    ['2026-11-24T05:00:00Z', '5 h ago'],
    ['2026-11-20T10:00:00Z', '4 days ago'],
  ])('seen %s is %s', (iso, want) => expect(seenAgo(iso, now)).toBe(want));

  it.each([
    [200, 'in step'],
    [2300, '+2.3 s'],
    [-240_000, '−4 min'],
  ])('offset %d ms is %s', (ms, want) => expect(offsetWords(ms)).toBe(want));

  it('percent done', () => {
    expect(percentDone(null)).toBeNull();
    expect(percentDone({ phase: 'copy', done: 0, total: 0 })).toBe(100);
    expect(percentDone({ phase: 'catchup', done: 3, total: 4 })).toBe(75);
  });
});
