// The check-in tablet's window (app/tablet.go): pairing, the patient sent
// to it or started by a check-in code, and the sealed submission. In an
// office computer's window status() says it is not a tablet.

import * as TabletFn from '../../../wailsjs/go/app/Tablet';
import { practice } from '../../../wailsjs/go/models';
import { call, list } from './call';
import type { DiscoveredDevice } from './devices.types';
import type { Submission, SubmitResult, Visit } from './intake.types';

export interface TabletStatus {
  /** False in an office computer's window. */
  tablet: boolean;
  paired: boolean;
  /** Sealed submissions waiting for the office computer. */
  waiting: number;
}

export const tabletApi = {
  status: (): Promise<TabletStatus> => call(() => TabletFn.Status()),
  nearby: async (): Promise<DiscoveredDevice[]> => list<DiscoveredDevice>(await call(() => TabletFn.Nearby())),
  pair: (name: string, address: string, code: string): Promise<void> => call(() => TabletFn.Pair(name, address, code)),
  /** The patient the front desk sent to this tablet, or null. */
  next: async (): Promise<Visit | null> => ((await call(() => TabletFn.Next())) as Visit | null) ?? null,
  checkIn: (code: string, dob: string): Promise<Visit> => call(() => TabletFn.CheckIn(code, dob)) as Promise<Visit>,
  submit: (s: Submission): Promise<SubmitResult> => call(() => TabletFn.Submit(practice.Submission.createFrom(s))),
  /** Forgets the visit on screen (done, or idle). */
  end: (): Promise<void> => call(() => TabletFn.End()),
  /** Closes the window when the office computer accepts the staff login. */
  leave: (username: string, password: string): Promise<void> => call(() => TabletFn.Leave(username, password)),
};
