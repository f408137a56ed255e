// Staff accounts (app/staff.go).

import * as StaffFn from '../../../wailsjs/go/app/Staff';
import { app, practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { Account } from './session.types';
import type { NewAccount } from './staff.types';

export const staff = {
  accounts: async (): Promise<Account[]> => list<Account>(await call(() => StaffFn.Accounts())),
  create: (a: NewAccount): Promise<Account> => call(() => StaffFn.Create(toGo(app.NewAccount, a))),
  update: (a: Account): Promise<Account> => call(() => StaffFn.Update(toGo(practice.Account, a))),
  resetPassword: (accountId: string, password: string): Promise<void> =>
    call(() => StaffFn.ResetPassword(accountId, password)),
};
