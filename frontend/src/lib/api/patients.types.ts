// Plain data shapes of the bound Go structs for patients and their insurance (app/patients.go, internal/practice/types.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

import type { Address } from './shared.types';

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
  /** The patient asked for no e-mail reminders. */
  noReminders: boolean;
  /** The language of the patient's reminders: "en" (or empty) or "es". */
  language: string;
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
  /** Start of the next scheduled or confirmed appointment; the zero time when none. */
  next: string;
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
