import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api';
import { devices } from '../../api/devices';
import type { PeerDevice, SyncStatus } from '../../api/devices';
import { OWNER_PERMISSIONS, status as sessionStatus } from '../../../test/factories';
import { session } from '../../stores/session.svelte';
import { devicesStore } from '../../stores/devices.svelte';
import DevicesTab from './DevicesTab.svelte';

vi.mock('../../api/devices', async (orig) =>
  (await import('../../../test/api-mock')).mockApi(await orig<typeof import('../../api/devices')>()),
);

const stuck =
  'Sync is stuck for changes made on Front desk: this computer cannot merge one of them (UNIQUE constraint failed: audit_log.device, audit_log.seq). They wait, nothing is lost, and everything else still syncs.';

function peer(name: string, over: Partial<PeerDevice> = {}): PeerDevice {
  return {
    deviceId: 'dev-' + name,
    name,
    address: '10.0.0.2:47810',
    lastSeen: '',
    offsetMs: 0,
    clockSkewed: false,
    connected: true,
    removed: false,
    pending: 0,
    digestStatus: 'match',
    stuck: '',
    hub: false,
    keyLoaded: true,
    ...over,
  };
}

function syncStatus(peers: PeerDevice[]): SyncStatus {
  return {
    deviceId: 'me',
    name: 'Back office',
    listen: ':47810',
    running: true,
    problem: '',
    peers,
    connected: peers.length,
    pending: 0,
    openConflicts: 0,
    pairingOpen: false,
    pairingUntil: '',
    removedBy: '',
  };
}

describe('DevicesTab', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    devicesStore.reset(); // one store for the app: forget the last test's status
    session.status = sessionStatus();
  });

  it('says that sync is stuck, and why, for the computer it is stuck with', async () => {
    vi.mocked(devices.status).mockResolvedValue(
      syncStatus([peer('Front desk', { stuck }), peer('Hub'), peer('Old laptop', { removed: true, stuck: 'stale' })]),
    );
    render(DevicesTab);

    const banners = await screen.findAllByRole('status');
    expect(banners.map((b) => b.textContent?.trim())).toEqual([stuck]); // not the removed computer's
    const row = screen.getByText('Front desk', { selector: 'td' }).closest('tr')!;
    expect(within(row).getByText('Sync stuck')).toHaveAttribute('title', stuck);
    const hub = screen.getByText('Hub', { selector: 'td' }).closest('tr')!;
    expect(within(hub).queryByText('Sync stuck')).toBeNull();
  });

  it('says so when another computer said this one was removed', async () => {
    vi.mocked(devices.status).mockResolvedValue({ ...syncStatus([]), removedBy: 'Front desk' });
    render(DevicesTab);
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Front desk says this computer was removed from the practice, so it no longer syncs.',
    );
  });

  it('shows no warning when nothing is stuck', async () => {
    vi.mocked(devices.status).mockResolvedValue(syncStatus([peer('Hub')]));
    render(DevicesTab);
    await screen.findByText('Hub', { selector: 'td' });
    expect(screen.queryByText(/Sync is stuck/)).toBeNull();
  });

  it('lets an owner unlock a hub that waits for the key, and keeps the dialog open on a wrong password', async () => {
    const user = userEvent.setup();
    session.status = sessionStatus({ permissions: [...OWNER_PERMISSIONS, 'Devices.UnlockHub'] });
    const hub = peer('Back office', { hub: true, keyLoaded: false });
    vi.mocked(devices.status).mockResolvedValue(syncStatus([hub, peer('Front desk')]));
    render(DevicesTab);

    const row = (await screen.findByText('Back office', { selector: 'td' })).closest('tr')!;
    expect(within(row).getByText('Locked: e-mail waits')).toBeInTheDocument();
    const desk = screen.getByText('Front desk', { selector: 'td' }).closest('tr')!;
    expect(within(desk).queryByRole('button', { name: /Unlock/ })).toBeNull(); // an office computer is not unlocked from here

    vi.mocked(devices.unlockHub).mockRejectedValueOnce(new ApiError('wrong_password', 'That password is not right.'));
    await user.click(within(row).getByRole('button', { name: 'Unlock Back office' }));
    const dialog = await screen.findByRole('dialog', { name: 'Unlock Back office' });
    await user.type(within(dialog).getByLabelText(/Your password/), 'guess');
    await user.click(within(dialog).getByRole('button', { name: 'Unlock' }));
    await vi.waitFor(() =>
      expect(within(dialog).getByLabelText(/Your password/)).toHaveAccessibleDescription('That password is not right.'),
    );
    expect(devices.unlockHub).toHaveBeenLastCalledWith('dev-Back office', 'guess');

    vi.mocked(devices.status).mockResolvedValue(syncStatus([{ ...hub, keyLoaded: true }, peer('Front desk')]));
    const password = within(dialog).getByLabelText(/Your password/);
    await user.clear(password);
    await user.type(password, 'the right one');
    await user.click(within(dialog).getByRole('button', { name: 'Unlock' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(devices.unlockHub).toHaveBeenLastCalledWith('dev-Back office', 'the right one');
    await vi.waitFor(() => expect(within(row).queryByText('Locked: e-mail waits')).toBeNull());
    expect(within(row).getByText('Hub')).toBeInTheDocument();
  });

  it('offers no unlock to someone who may not', async () => {
    vi.mocked(devices.status).mockResolvedValue(syncStatus([peer('Back office', { hub: true, keyLoaded: false })]));
    render(DevicesTab);
    const row = (await screen.findByText('Back office', { selector: 'td' })).closest('tr')!;
    expect(within(row).getByText('Locked: e-mail waits')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Unlock/ })).toBeNull();
  });
});
