import * as api from '../api';
import type { ApiError, DemoLogin, PracticeSetup, SessionStatus } from '../api';

/** Which top-level screen the app shows for a status. */
export type SessionView = 'loading' | 'problem' | 'welcome' | 'login' | 'recovery-kit' | 'locked' | 'app';

export class SessionStore {
  status = $state<SessionStatus | null>(null);
  /** Set after CreatePractice until the user confirms the Recovery Kit is saved. */
  recoveryKey = $state<string | null>(null);
  /** Set after OpenDemo so the shell can show the demo login. */
  demoLogin = $state<DemoLogin | null>(null);
  /** Message shown on the welcome/login screen when the status cannot be read (busy, damaged). */
  startupError = $state<ApiError | null>(null);

  view: SessionView = $derived.by(() => {
    const s = this.status;
    if (!s) return 'loading';
    if (s.problem) return 'problem';
    if (!s.practiceExists) return 'welcome';
    if (!s.loggedIn) return 'login';
    if (this.recoveryKey) return 'recovery-kit';
    if (s.locked) return 'locked';
    return 'app';
  });

  account = $derived(this.status?.account ?? null);
  permissions: readonly string[] = $derived(this.status?.permissions ?? []);

  /**
   * Subscribes to api failures ("locked" shows the lock screen,
   * "unauthorized" re-reads the status) and to the backend locking the
   * session after inactivity, which the window follows.
   */
  install(): () => void {
    const offErrors = api.onApiError((err) => {
      if (err.code === 'locked' && this.status?.loggedIn) {
        this.showLocked();
      } else if (err.code === 'unauthorized' && this.status?.loggedIn) {
        void this.refresh().catch(() => undefined);
      }
    });
    const offLocked = api.onSessionLocked(() => this.showLocked());
    return () => {
      offErrors();
      offLocked();
    };
  }

  private showLocked(): void {
    if (this.status?.loggedIn && !this.status.locked) this.apply({ ...this.status, locked: true });
  }

  /** Tells the backend a person is using the window; a refusal (locked) reaches install's listener. */
  async active(): Promise<void> {
    if (this.view !== 'app') return;
    await api.session.active();
  }

  async refresh(): Promise<void> {
    try {
      this.apply(await api.session.status());
      this.startupError = null;
    } catch (e) {
      this.startupError = api.toApiError(e);
      throw e;
    }
  }

  /**
   * Takes a new status. A locked status carries no practice name or
   * permissions; the hidden shell keeps the previous ones so its state
   * (an unsaved form, the open record) survives the lock.
   */
  private apply(next: SessionStatus): void {
    const prev = this.status;
    if (next.loggedIn && next.locked && prev?.loggedIn && prev.account?.id === next.account?.id) {
      next = {
        ...next,
        practiceName: next.practiceName || prev.practiceName,
        permissions: next.permissions?.length ? next.permissions : prev.permissions,
      };
    }
    this.status = next;
  }

  /** Whether the account may call Facade.Method. */
  can(permission: string): boolean {
    return this.permissions.includes(permission);
  }

  /** Whether the account may call any method of a facade ("Patients"). */
  canAny(facade: string): boolean {
    const prefix = facade + '.';
    return this.permissions.some((p) => p.startsWith(prefix));
  }

  async createPractice(p: PracticeSetup): Promise<void> {
    const created = await api.session.createPractice(p);
    this.recoveryKey = created.recoveryKey;
    this.apply(created.status);
  }

  /** The user confirmed the Recovery Kit is saved; forget the key. */
  finishRecoveryKit(): void {
    this.recoveryKey = null;
  }

  async login(username: string, password: string): Promise<void> {
    this.apply(await api.session.login(username, password));
  }

  async openDemo(): Promise<DemoLogin> {
    const demo = await api.session.openDemo();
    this.apply(await api.session.login(demo.username, demo.password));
    this.demoLogin = demo;
    return demo;
  }

  async logout(): Promise<void> {
    await api.session.logout();
    this.recoveryKey = null;
    this.demoLogin = null;
    await this.refresh();
  }

  async lock(): Promise<void> {
    if (!this.status?.loggedIn || this.status.locked) return;
    this.apply(await api.session.lock());
  }

  async unlock(password: string): Promise<void> {
    this.apply(await api.session.unlock(password));
  }

  async recover(recoveryKey: string, username: string, newPassword: string): Promise<void> {
    this.apply(await api.session.recover(recoveryKey, username, newPassword));
  }

  async changePassword(current: string, next: string): Promise<void> {
    await api.session.changePassword(current, next);
  }
}

export const session = new SessionStore();
