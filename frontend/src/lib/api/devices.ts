// LAN sync: this machine's devices, pairing, conflicts, and joining a
// practice on first run (app/devices.go), and the runtime events sync sends.

import * as CalendarFn from '../../../wailsjs/go/app/Calendar';
import * as DevicesFn from '../../../wailsjs/go/app/Devices';
import * as SessionFn from '../../../wailsjs/go/app/Session';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { call } from './call';
import type {
  BookedSummary,
  ConflictItem,
  DiscoveredDevice,
  JoinProgress,
  PairingCode,
  SyncStatus,
} from './devices.types';
import type { SessionStatus } from './session.types';

export type * from './devices.types';

/** The event a joining machine receives while it copies the practice. */
export const JOIN_PROGRESS_EVENT = 'sync:join-progress';
/** The event sent when changes from another computer were merged here. */
export const DATA_CHANGED_EVENT = 'sync:data-changed';

/**
 * Calls fn with the tables another computer's changes touched ("appointments",
 * "patients", …), so open screens can reload; returns the unsubscribe function.
 */
export function onDataChanged(fn: (tables: string[]) => void): () => void {
  return EventsOn(DATA_CHANGED_EVENT, (d: { tables: string[] | null }) => fn(d.tables ?? []));
}

export const devices = {
  status: (): Promise<SyncStatus> => call(() => DevicesFn.Status()),
  openPairing: (): Promise<PairingCode> => call(() => DevicesFn.OpenPairing()),
  closePairing: (): Promise<void> => call(() => DevicesFn.ClosePairing()),
  connectAddress: (address: string): Promise<void> => call(() => DevicesFn.ConnectAddress(address)),
  remove: (deviceId: string): Promise<void> => call(() => DevicesFn.Remove(deviceId)),
  /** Loads the practice key into a hub with the signed-in owner's password. */
  unlockHub: (deviceId: string, password: string): Promise<void> => call(() => DevicesFn.UnlockHub(deviceId, password)),
  conflicts: async (): Promise<ConflictItem[]> => (await call(() => DevicesFn.Conflicts())) ?? [],
  resolveConflict: (id: string, choice: string): Promise<void> => call(() => DevicesFn.ResolveConflict(id, choice)),
  /** One side of a double-booking (opening it is audited like any appointment). */
  booked: async (appointmentId: string): Promise<BookedSummary> => {
    const d = await call(() => CalendarFn.Appointment(appointmentId));
    const a = d.appointment;
    return {
      id: a.id,
      patientName: d.patientName,
      clinicianId: a.clinicianId,
      start: a.start,
      end: a.end,
      status: a.status,
    };
  },
};

export const joining = {
  discovered: async (): Promise<DiscoveredDevice[]> => (await call(() => SessionFn.Discovered())) ?? [],
  join: (address: string, code: string): Promise<SessionStatus> => call(() => SessionFn.Join(address, code)),
  /** Calls fn with each progress report until the returned function is called. */
  onProgress: (fn: (p: JoinProgress) => void): (() => void) =>
    EventsOn(JOIN_PROGRESS_EVENT, (p: JoinProgress) => fn(p)),
};
