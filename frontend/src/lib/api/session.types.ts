// Plain data shapes of the bound Go structs for sessions and accounts (app/session.go, app/types.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

export type Role = 'owner' | 'frontdesk' | 'clinician' | 'biller';
export const ROLES: readonly Role[] = ['owner', 'frontdesk', 'clinician', 'biller'];
export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner / manager',
  frontdesk: 'Front desk',
  clinician: 'Clinician',
  biller: 'Biller',
};

export interface Account {
  id: string;
  username: string;
  displayName: string;
  /** A Role; typed as string because the generated model is. */
  role: string;
  clinicianId: string;
  disabled: boolean;
}

/** The staff e-mail one person wants (practice.StaffMail). */
export interface StaffMail {
  email: string;
  /** Each alert addressed to them, as it arises: the kind of thing only, never whom. */
  alerts: boolean;
  /** The weekly summary (owners and managers). */
  digest: boolean;
}

export interface SessionStatus {
  /** Set when the data folder cannot be opened (busy or damaged); the window shows only this. */
  problem: string;
  /** The problem's error code: "damaged" means a backup can be restored over it. */
  problemCode: string;
  practiceExists: boolean;
  loggedIn: boolean;
  locked: boolean;
  account?: Account | null;
  practiceName: string;
  lockMinutes: number;
  permissions: string[] | null;
  /** The account sees and exports its own clinician's schedule only. */
  ownCaseload: boolean;
}

export interface PracticeSetup {
  practiceName: string;
  ownerName: string;
  username: string;
  password: string;
}

export interface CreatedPractice {
  recoveryKey: string;
  status: SessionStatus;
}

export interface DemoLogin {
  username: string;
  password: string;
}

export interface PasswordStrength {
  score: number;
  acceptable: boolean;
  hint: string;
}
