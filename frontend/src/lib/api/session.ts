// Signing in, locking, recovery and creating a practice (app/session.go).

import * as SessionFn from '../../../wailsjs/go/app/Session';
import { app, practice } from '../../../wailsjs/go/models';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { call, toGo } from './call';
import type {
  CreatedPractice,
  DemoLogin,
  PasswordStrength,
  PracticeSetup,
  SessionStatus,
  StaffMail,
} from './session.types';

/** The event the backend sends when it locked the session after inactivity. */
export const SESSION_LOCKED_EVENT = 'session:locked';

/** Calls fn when the backend locks the session on its own clock; returns the unsubscribe function. */
export function onSessionLocked(fn: () => void): () => void {
  return EventsOn(SESSION_LOCKED_EVENT, () => fn());
}

export const session = {
  status: (): Promise<SessionStatus> => call(() => SessionFn.Status()),
  checkPassword: (password: string, personal: string[]): Promise<PasswordStrength> =>
    call(() => SessionFn.CheckPassword(password, personal)),
  createPractice: (p: PracticeSetup): Promise<CreatedPractice> =>
    call(() => SessionFn.CreatePractice(toGo(app.PracticeSetup, p))),
  openDemo: (): Promise<DemoLogin> => call(() => SessionFn.OpenDemo()),
  login: (username: string, password: string): Promise<SessionStatus> =>
    call(() => SessionFn.Login(username, password)),
  logout: (): Promise<void> => call(() => SessionFn.Logout()),
  lock: (): Promise<SessionStatus> => call(() => SessionFn.Lock()),
  /** Tells the backend a person used the window: the only thing that keeps a session open. */
  active: (): Promise<void> => call(() => SessionFn.Active()),
  unlock: (password: string): Promise<SessionStatus> => call(() => SessionFn.Unlock(password)),
  recover: (recoveryKey: string, username: string, newPassword: string): Promise<SessionStatus> =>
    call(() => SessionFn.Recover(recoveryKey, username, newPassword)),
  changePassword: (current: string, next: string): Promise<void> => call(() => SessionFn.ChangePassword(current, next)),
  /** Where the logged-in person's staff e-mail goes, and which they want. */
  myMail: (): Promise<StaffMail> => call(() => SessionFn.MyMail()),
  saveMyMail: (m: StaffMail): Promise<void> => call(() => SessionFn.SaveMyMail(toGo(practice.StaffMail, m))),
  /** Replaces the recovery key (the old one stops working) and returns the new one, shown once. */
  newRecoveryKey: (): Promise<string> => call(() => SessionFn.NewRecoveryKey()),
  /** Returns the saved file's path, or "" when the user cancelled the dialog. */
  saveRecoveryKit: (recoveryKey: string): Promise<string> => call(() => SessionFn.SaveRecoveryKit(recoveryKey)),
};
