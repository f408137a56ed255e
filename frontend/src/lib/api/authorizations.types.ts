// Plain data shapes of the bound Go structs for authorizations (app/authorizations.go,
// internal/authorizations, internal/practice/authorizations.go). The api layer checks them
// against the generated wailsjs/go/models.ts classes.

/** 'prior' | 'eap' | 'visit_limit' (Go strings, so typed as string here). */
export type AuthKind = string;
/** 'requested' | 'authorized' | 'denied'. */
export type AuthStatus = string;
/** 'sessions' | 'units15'. */
export type AuthUnit = string;
/** 'requested' | 'denied' | 'upcoming' | 'active' | 'exhausted' | 'expired'. */
export type AuthState = string;

export interface Authorization {
  id: string;
  patientId: string;
  payerId: string;
  renewsId: string;
  kind: AuthKind;
  status: AuthStatus;
  unit: AuthUnit;
  requested: number;
  authorized: number;
  /** YYYY-MM-DD, both inclusive. */
  start: string;
  end: string;
  requestedOn: string;
  /** CPT codes covered; empty covers every session. */
  serviceCodes: string[] | null;
  warnRemaining: number;
  warnDays: number;
  /** '' follows the payer's rule, else 'yes' or 'no'. */
  countMissed: string;
  number: string;
  quotedNumber: string;
  employer: string;
  eapCaseNumber: string;
  eapMemberId: string;
  benefitYear: string;
  payerContact: string;
  callReference: string;
  notes: string;
}

export interface SessionUse {
  appointmentId: string;
  start: string;
  typeId: string;
  serviceCode: string;
  status: string;
  /** 'scheduled' | 'kept' | 'late_cancel' | 'no_show' | 'none'. */
  use: string;
  units: number;
  number: number;
  outside: boolean;
  ambiguous: boolean;
}

export interface Usage {
  authorizationId: string;
  authorized: number;
  scheduled: number;
  kept: number;
  lateCancels: number;
  noShows: number;
  used: number;
  remaining: number;
  over: number;
  bookedAfterEnd: number;
  sessions: SessionUse[] | null;
}

export interface AuthorizationView {
  authorization: Authorization;
  usage: Usage;
  payerName: string;
  payerKind: string;
  state: AuthState;
  renewedBy: string;
}

export interface AuthorizationFilter {
  payerId: string;
  clinicianId: string;
  state: AuthState;
  needsAction: boolean;
  hideExpired: boolean;
}

export interface AuthorizationRow extends AuthorizationView {
  patientName: string;
  clinicianIds: string[] | null;
  alert: import('./alerts.types').Alert;
}

export interface BookingQuery {
  patientId: string;
  typeId: string;
  start: string;
  end: string;
}

export interface BookingLine {
  authorizationId: string;
  number: number;
  of: number;
  end: string;
  remaining: number;
  ambiguous: boolean;
  line: string;
  warning: boolean;
}

export interface PayerAuthRules {
  payerId: string;
  requiresAuth: boolean;
  /** 'warn' or 'hard'. */
  enforcement: string;
  countMissed: boolean;
  countUpcoming: boolean;
}
