// Backing up and restoring the practice (app/backups.go): the owner's, from
// Settings, and over a database that cannot be read, before anyone can log in.

import * as BackupsFn from '../../../wailsjs/go/app/Backups';
import * as SessionFn from '../../../wailsjs/go/app/Session';
import { Quit } from '../../../wailsjs/runtime/runtime';
import type { NightlyStatus, RestoreResult } from './backups.types';
import { call } from './call';

export type * from './backups.types';

export const backups = {
  /** Returns the saved file's path, or "" when the owner cancelled the dialog. */
  backup: (): Promise<string> => call(() => BackupsFn.Backup()),
  /** The nightly backups: folder, computer, retention, last result, kept files. */
  nightly: (): Promise<NightlyStatus> => call(() => BackupsFn.Nightly()),
  /** Makes a folder on this computer where the nightly backups go; field problems on "folder". */
  chooseFolder: (folder: string): Promise<NightlyStatus> => call(() => BackupsFn.ChooseFolder(folder)),
  /** Makes the nightly backup now (written, checked, old ones pruned). */
  backUpNow: (): Promise<NightlyStatus> => call(() => BackupsFn.BackUpNow()),
  /** Restores a backup of this practice the owner chooses; everyone is signed out. */
  restore: (): Promise<RestoreResult> => call(() => BackupsFn.Restore()),
  /** Restores a backup over a database that cannot be read (no login). */
  restoreDamaged: (): Promise<RestoreResult> => call(() => SessionFn.RestoreDamaged()),
  /** Closes Quietdesk, so it starts again on the restored practice. */
  quit: (): void => Quit(),
};
