// Plain data shapes of LAN sync: devices, pairing, conflicts and joining (app/devices.go).

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
  /** Why some changes cannot pass between the two computers; "" when none. */
  stuck: string;
  /** A hub, which an owner may unlock from here. */
  hub: boolean;
  /** It holds the practice key (a hub without it sends no e-mail). */
  keyLoaded: boolean;
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
  /** The computer that said this one was removed from the practice; "" while it is a member. */
  removedBy: string;
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
