// Backing up and restoring the practice (app/backups.go): the owner's, from
// Settings, and over a database that cannot be read, before anyone can log in.

import * as BackupsFn from '../../../wailsjs/go/app/Backups';
import * as SessionFn from '../../../wailsjs/go/app/Session';
import { Quit } from '../../../wailsjs/runtime/runtime';
import type { RestoreResult } from './backups.types';
import { call } from './call';

export type * from './backups.types';

export const backups = {
  /** Returns the saved file's path, or "" when the owner cancelled the dialog. */
  backup: (): Promise<string> => call(() => BackupsFn.Backup()),
  /** Restores a backup of this practice the owner chooses; everyone is signed out. */
  restore: (): Promise<RestoreResult> => call(() => BackupsFn.Restore()),
  /** Restores a backup over a database that cannot be read (no login). */
  restoreDamaged: (): Promise<RestoreResult> => call(() => SessionFn.RestoreDamaged()),
  /** Closes Quietdesk, so it starts again on the restored practice. */
  quit: (): void => Quit(),
};
