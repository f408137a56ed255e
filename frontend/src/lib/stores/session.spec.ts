import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import * as api from '../api';
import { account, loggedOut, status } from '../../test/factories';
import { SessionStore } from './session.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('SessionStore', () => {
  let s: SessionStore;
  beforeEach(() => {
    vi.clearAllMocks();
    s = new SessionStore();
  });

  it('shows loading, then welcome when there is no practice', async () => {
    expect(s.view).toBe('loading');
    vi.mocked(api.session.status).mockResolvedValue(loggedOut({ practiceExists: false }));
    await s.refresh();
    expect(s.view).toBe('welcome');
  });

  it('shows login, then the app after a login', async () => {
    vi.mocked(api.session.status).mockResolvedValue(loggedOut());
    await s.refresh();
    expect(s.view).toBe('login');
    vi.mocked(api.session.login).mockResolvedValue(status());
    await s.login('dana', 'pw');
    expect(api.session.login).toHaveBeenCalledWith('dana', 'pw');
    expect(s.view).toBe('app');
    expect(s.account?.displayName).toBe('Dana Whitfield');
  });

  it('keeps a startup error (busy, damaged) for the screen', async () => {
    vi.mocked(api.session.status).mockRejectedValue(new ApiError('busy', 'Quietdesk is already open.'));
    await expect(s.refresh()).rejects.toBeInstanceOf(ApiError);
    expect(s.view).toBe('loading');
    expect(s.startupError?.message).toBe('Quietdesk is already open.');
  });

  it('shows the Recovery Kit after creating a practice, then the app', async () => {
    vi.mocked(api.session.createPractice).mockResolvedValue({ recoveryKey: 'ABCD-EFGH', status: status() });
    await s.createPractice({ practiceName: 'P', ownerName: 'O', username: 'o', password: 'x' });
    expect(s.view).toBe('recovery-kit');
    expect(s.recoveryKey).toBe('ABCD-EFGH');
    s.finishRecoveryKit();
    expect(s.recoveryKey).toBeNull();
    expect(s.view).toBe('app');
  });

  it('opens the demo and logs in with its credentials', async () => {
    vi.mocked(api.session.openDemo).mockResolvedValue({ username: 'demo', password: 'demo-pass-123' });
    vi.mocked(api.session.login).mockResolvedValue(status());
    await s.openDemo();
    expect(api.session.login).toHaveBeenCalledWith('demo', 'demo-pass-123');
    expect(s.demoLogin).toEqual({ username: 'demo', password: 'demo-pass-123' });
    expect(s.view).toBe('app');
  });

  it('locks and unlocks', async () => {
    s.status = status();
    vi.mocked(api.session.lock).mockResolvedValue(status({ locked: true }));
    await s.lock();
    expect(s.view).toBe('locked');
    await s.lock(); // already locked: no second call
    expect(api.session.lock).toHaveBeenCalledTimes(1);
    vi.mocked(api.session.unlock).mockResolvedValue(status());
    await s.unlock('pw');
    expect(api.session.unlock).toHaveBeenCalledWith('pw');
    expect(s.view).toBe('app');
  });

  it('keeps the practice name and permissions a locked status leaves out', async () => {
    const me = account();
    s.status = status({ account: me });
    vi.mocked(api.session.lock).mockResolvedValue(
      status({ account: me, locked: true, practiceName: '', permissions: null }),
    );
    await s.lock();
    expect(s.view).toBe('locked');
    expect(s.status?.practiceName).toBe('Maple Street Counseling');
    expect(s.can('Patients.Search')).toBe(true);
  });

  it('shows only the problem when the data folder cannot be opened', async () => {
    vi.mocked(api.session.status).mockResolvedValue(
      loggedOut({ problem: 'Quietdesk is already open on this computer.' }),
    );
    await s.refresh();
    expect(s.view).toBe('problem');
  });

  it('switches to the lock screen when any call fails with "locked"', () => {
    s.status = status();
    s.install();
    const handler = vi.mocked(api.onApiError).mock.calls[0][0];
    handler(new ApiError('invalid', 'x'));
    expect(s.view).toBe('app');
    handler(new ApiError('locked', 'The screen is locked.'));
    expect(s.view).toBe('locked');
  });

  it('follows the backend when it locks the session after inactivity', () => {
    s.status = status();
    s.install();
    const locked = vi.mocked(api.onSessionLocked).mock.calls[0][0];
    locked();
    expect(s.view).toBe('locked');
  });

  it('reports activity only while the app shows', async () => {
    s.status = status();
    await s.active();
    expect(api.session.active).toHaveBeenCalledTimes(1);
    s.status = status({ locked: true });
    await s.active();
    expect(api.session.active).toHaveBeenCalledTimes(1);
  });

  it('re-reads the status when a call says no one is logged in', () => {
    s.status = status();
    vi.mocked(api.session.status).mockResolvedValue(loggedOut());
    s.install();
    vi.mocked(api.onApiError).mock.calls[0][0](new ApiError('unauthorized', 'Sign in.'));
    expect(api.session.status).toHaveBeenCalled();
  });

  it('answers permission questions', () => {
    s.status = status({ permissions: ['Patients.Search', 'Audit.Query'], account: account({ role: 'owner' }) });
    expect(s.can('Patients.Search')).toBe(true);
    expect(s.can('Patients.Create')).toBe(false);
    expect(s.canAny('Audit')).toBe(true);
    expect(s.canAny('Staff')).toBe(false);
  });

  it('logs out and forgets the demo login', async () => {
    s.status = status();
    s.demoLogin = { username: 'demo', password: 'x' };
    vi.mocked(api.session.logout).mockResolvedValue(undefined);
    vi.mocked(api.session.status).mockResolvedValue(loggedOut());
    await s.logout();
    expect(s.demoLogin).toBeNull();
    expect(s.view).toBe('login');
  });
});
