// Plain data shapes of the bound Go structs (app/types.go, internal/practice/types.go).
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

export interface SessionStatus {
  /** Set when the data folder cannot be opened (busy or damaged); the window shows only this. */
  problem: string;
  practiceExists: boolean;
  loggedIn: boolean;
  locked: boolean;
  account?: Account | null;
  practiceName: string;
  lockMinutes: number;
  permissions: string[] | null;
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

export interface Address {
  line1: string;
  line2: string;
  city: string;
  state: string;
  zip: string;
}

export interface PatientIdentity {
  firstName: string;
  lastName: string;
  preferredName: string;
  dob: string;
  /** F, M, U or empty. */
  sex: string;
  gender: string;
  pronouns: string;
}

export interface PatientContact {
  phone: string;
  email: string;
  address: Address;
}

export interface RelatedPerson {
  name: string;
  relationship: string;
  phone: string;
  email: string;
}

export interface Patient {
  id: string;
  identity: PatientIdentity;
  contact: PatientContact;
  emergency: RelatedPerson;
  guardian: RelatedPerson;
  active: boolean;
}

export type PolicyRank = 'primary' | 'secondary' | 'tertiary';

export interface Subscriber {
  name: string;
  dob: string;
  /** self, spouse, child, other or empty. */
  relationship: string;
}

export interface InsurancePolicy {
  id: string;
  patientId: string;
  payerId: string;
  /** A PolicyRank. */
  rank: string;
  memberId: string;
  groupNumber: string;
  subscriber: Subscriber;
}

export interface PatientSummary {
  id: string;
  firstName: string;
  lastName: string;
  preferredName: string;
  dob: string;
  phone: string;
  active: boolean;
}

/** One page of search results and how many patients match in all. */
export interface PatientSearch {
  patients: PatientSummary[] | null;
  total: number;
}

export interface PatientRecord {
  patient: Patient;
  policies: InsurancePolicy[] | null;
}

export interface Settings {
  name: string;
  taxId: string;
  npi: string;
  phone: string;
  address: Address;
  timezone: string;
  lockMinutes: number;
  policy: CalendarPolicy;
}

/** The cancellation policy; fees in cents. */
export interface CalendarPolicy {
  lateCancelHours: number;
  lateCancelFeeCents: number;
  noShowFeeCents: number;
}

export interface Location {
  id: string;
  name: string;
  phone: string;
  address: Address;
  active: boolean;
}

export interface Room {
  id: string;
  locationId: string;
  name: string;
  active: boolean;
}

export interface Clinician {
  id: string;
  firstName: string;
  lastName: string;
  credentials: string;
  npi: string;
  taxonomy: string;
  specialties: string[] | null;
  languages: string[] | null;
  email: string;
  phone: string;
  /** The clinician's standing telehealth room (https://…). */
  videoLink: string;
  prescriber: boolean;
  acceptingNew: boolean;
  active: boolean;
}

export type PayerKind = 'insurance' | 'eap';

export interface Payer {
  id: string;
  name: string;
  payerId: string;
  /** A PayerKind. */
  kind: string;
  active: boolean;
}

export interface NewAccount {
  account: Account;
  password: string;
}

export interface AuditFilter {
  from: string;
  to: string;
  accountId: string;
  action: string;
  recordId: string;
  limit: number;
}

export interface AuditRow {
  seq: number;
  at: string;
  device: string;
  accountId: string;
  who: string;
  action: string;
  table: string;
  recordId: string;
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  problem: string;
}
