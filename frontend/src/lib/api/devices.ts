// LAN sync: this machine's devices, pairing, conflicts, and joining a
// practice on first run. Part of the api layer: the only other module that
// touches the generated bindings (and the runtime's event bus).

import * as CalendarFn from '../../../wailsjs/go/app/Calendar';
import * as DevicesFn from '../../../wailsjs/go/app/Devices';
import * as SessionFn from '../../../wailsjs/go/app/Session';
import { EventsOn } from '../../../wailsjs/runtime/runtime';
import { call } from './index';
import type { SessionStatus } from './types';

export interface PeerDevice {
  deviceId: string;
  name: string;
  address: string;
  /** RFC 3339; "" when never seen. */
  lastSeen: string;
  /** Its clock minus this machine's, in milliseconds. */
  offsetMs: number;
  /** Off by minutes: say so on screen. */
  clockSkewed: boolean;
  connected: boolean;
  removed: boolean;
  /** Changes it lacks, as far as this machine knows. */
  pending: number;
  /** "match", "mismatch" or "" (not checked yet). */
  digestStatus: string;
}

export interface SyncStatus {
  deviceId: string;
  name: string;
  listen: string;
  running: boolean;
  /** Why sync is not running, in words the person can act on. */
  problem: string;
  peers: PeerDevice[] | null;
  connected: number;
  pending: number;
  openConflicts: number;
  pairingOpen: boolean;
  /** RFC 3339; "" when closed. */
  pairingUntil: string;
}

export interface PairingCode {
  code: string;
  /** RFC 3339. */
  expires: string;
}

export interface ConflictItem {
  id: string;
  /** "double-booking" or "concurrent-edit". */
  kind: string;
  table: string;
  rows: string[] | null;
  group: string;
  versions: string[] | null;
  detail: string;
  /** "open" or "resolved". */
  state: string;
  resolvedBy: string;
  choice: string;
  resolvedAt: string;
}

export interface DiscoveredDevice {
  deviceId: string;
  address: string;
  seen: string;
}

export interface JoinProgress {
  /** "copy" (the practice file, in bytes) or "catchup" (changes made since). */
  phase: string;
  done: number;
  total: number;
}

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

/** What the Conflicts screen shows of a double-booked appointment. */
export interface BookedSummary {
  id: string;
  patientName: string;
  clinicianId: string;
  /** RFC 3339. */
  start: string;
  end: string;
  status: string;
}

export const devices = {
  status: (): Promise<SyncStatus> => call(() => DevicesFn.Status()),
  openPairing: (): Promise<PairingCode> => call(() => DevicesFn.OpenPairing()),
  closePairing: (): Promise<void> => call(() => DevicesFn.ClosePairing()),
  connectAddress: (address: string): Promise<void> => call(() => DevicesFn.ConnectAddress(address)),
  remove: (deviceId: string): Promise<void> => call(() => DevicesFn.Remove(deviceId)),
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
