// Plain data shapes of the bound Go structs for staff accounts (app/staff.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

import type { Account } from './session.types';

export interface NewAccount {
  account: Account;
  password: string;
}
