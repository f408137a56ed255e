// Plain data shapes of backups (app/backups.go).

export interface RestoreResult {
  /** False when the person cancelled the file dialog. */
  restored: boolean;
  /** What the restore did, in words for the person. */
  message: string;
}
