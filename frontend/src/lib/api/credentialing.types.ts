// Plain data shapes of the bound Go structs for credentialing
// (app/credentialing.go, internal/credentialing, internal/practice/credentialing.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes.

import type { Clinician, Payer } from './practice.types';

export type CredentialKind = 'licence' | 'caqh' | 'malpractice' | 'dea' | 'board' | 'document';

export interface Credential {
  id: string;
  clinicianId: string;
  kind: CredentialKind;
  state: string;
  type: string;
  number: string;
  carrier: string;
  limits: string;
  issued: string;
  expires: string;
  notes: string;
}

export type EnrollmentStatus =
  'not_started' | 'application_sent' | 'in_process' | 'approved' | 'recredentialing_due' | 'denied' | 'terminated';

export interface Enrollment {
  id: string;
  clinicianId: string;
  payerId: string;
  status: EnrollmentStatus;
  effectiveOn: string;
  followUpOn: string;
  assigneeId: string;
  providerId: string;
  contractId: string;
  reference: string;
  contact: string;
}

export interface EnrollmentChange {
  enrollment: Enrollment;
  note: string;
}

export interface EnrollmentEvent {
  id: string;
  enrollmentId: string;
  at: string;
  accountId: string;
  status: EnrollmentStatus;
  note: string;
  by: string;
}

/** "" (no band yet), "90", "60", "30", CAQH's "15", "10", "5", or past: "expired", "due", "overdue". */
export type Band = '' | '90' | '60' | '30' | '15' | '10' | '5' | 'expired' | 'due' | 'overdue';

export interface Deadline {
  key: string;
  clinicianId: string;
  kind: CredentialKind | 'follow_up';
  table: string;
  id: string;
  payerId: string;
  assigneeId: string;
  due: string;
  daysLeft: number;
  band: Band;
}

export interface Lapse {
  clinicianId: string;
  payerId: string;
  firstDay: string;
  sessions: number;
  expectedCents: number;
  costCents: number;
}

export interface CredentialingSettings {
  caqhDays: number;
  guardHard: boolean;
  /** Expected payment per session by payer id (null from Go when none is set). */
  expectedCents: Record<string, number>;
}

export interface CredentialingOverview {
  today: string;
  caqhDays: number;
  settings: CredentialingSettings;
  clinicians: Clinician[];
  payers: Payer[];
  credentials: Credential[];
  enrollments: Enrollment[];
  deadlines: Deadline[];
  lapses: Lapse[];
}
