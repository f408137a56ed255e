// Plain data shapes of backups (app/backups.go).

export interface RestoreResult {
  /** False when the person cancelled the file dialog. */
  restored: boolean;
  /** What the restore did, in words for the person. */
  message: string;
}

/** The nightly backups as Settings → Backups shows them (internal/backups.Status). */
export interface NightlyStatus {
  /** The chosen folder, a whole path on the computer that makes the backups; "" before one is chosen. */
  folder: string;
  device: string;
  /** The last attempt (RFC 3339; the zero time before any), whether it was written and checked, and what happened. */
  lastAt: string;
  lastOk: boolean;
  lastMessage: string;
  lastFile: string;
  /** The last attempt that succeeded. */
  lastGoodAt: string;
  /** This computer makes the backups (the folder is here). */
  thisIsIt: boolean;
  /** Names the computer that makes them ("this computer", "the computer Back office"). */
  machine: string;
  daily: number;
  weekly: number;
  monthly: number;
  /** The backups in the folder, newest first, when this computer holds it. */
  kept: string[];
  /** Why the folder cannot be read, when it cannot. */
  problem: string;
}
