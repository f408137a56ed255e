// Billing shapes (internal/billing, internal/practice/billing.go).

export type ClaimStatus =
  'draft' | 'ready' | 'exported' | 'rejected' | 'accepted' | 'denied' | 'partially_paid' | 'paid' | 'appealed';

export interface Diagnosis {
  code: string;
  description: string;
  since: string;
}

export interface DiagnosesView {
  diagnoses: { patientId: string; list: Diagnosis[]; note: string };
  warnings: string[];
}

export interface Unbilled {
  appointmentId: string;
  patientId: string;
  patientName: string;
  clinicianId: string;
  payerId: string;
  typeName: string;
  start: string;
  minutes: number;
  telehealth: boolean;
  serviceOn: string;
}

export interface ClaimLine {
  appointmentId: string;
  serviceOn: string;
  code: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  pos: string;
  minutes: number;
  pointers: number[];
  telehealth: boolean;
  atHome: boolean;
  addOn: boolean;
  overrideReason: string;
}

export interface Finding {
  claimId: string;
  line: number;
  field: string;
  severity: 'error' | 'warning';
  message: string;
  fix: string;
  fixIn: string;
  fixId: string;
}

export interface Balance {
  chargedCents: number;
  insuranceCents: number;
  patientCents: number;
  paidCents: number;
  adjustedCents: number;
  deniedCents: number;
}

export interface LedgerEntry {
  id: string;
  kind: string;
  party: 'insurance' | 'patient';
  claimId: string;
  line: number;
  patientId: string;
  payerId: string;
  appointmentId: string;
  amountCents: number;
  expectedCents: number;
  on: string;
  posted: string;
  accountId: string;
  method: string;
  groupCode: string;
  reasonCode: string;
  remarks: string[];
  reference: string;
  refundReason: string;
  note: string;
}

export interface ClaimView {
  claim: {
    id: string;
    number: string;
    patientId: string;
    payerId: string;
    clinicianId: string;
    frequency: string;
    replacesId: string;
    created: string;
    status: ClaimStatus;
    appointmentIds: string[];
    content: {
      authNumber: string;
      memberId: string;
      originalRef: string;
      note: string;
      diagnoses: Diagnosis[];
      lines: ClaimLine[];
    };
  };
  patientName: string;
  payerName: string;
  clinician: string;
  totalCents: number;
  serviceFrom: string;
  serviceTo: string;
  findings: Finding[];
  errors: number;
  balance: Balance;
  entries: LedgerEntry[];
  exportedAt: string;
}

export interface ClaimRow {
  id: string;
  number: string;
  patientId: string;
  patientName: string;
  payerName: string;
  status: ClaimStatus;
  frequency: string;
  created: string;
  sessions: number;
  owedCents: number;
}

export interface BatchResult {
  claims: ClaimView[];
  skipped: { appointmentId: string; reason: string }[];
}

export interface AgingRow {
  payerId: string;
  name: string;
  cents: number[];
  total: number;
}

export interface Dashboard {
  asOf: string;
  aging: AgingRow[];
  unbilled: { month: string; sessions: number }[];
  statuses: { status: ClaimStatus; claims: number; cents: number }[];
  denials: { payerId: string; payer: string; group: string; reason: string; count: number; cents: number }[];
  months: {
    month: string;
    chargedCents: number;
    expectedCents: number;
    paidOnServiceCents: number;
    collectedCents: number;
  }[];
  fees: { month: string; fees: number; feeCents: number; unpaidCents: number }[];
  totals: { outstandingCents: number; unbilledSessions: number; deniedCents: number; feesUnpaidCents: number };
}

/** What the payment form posts (practice.Entry without what the backend sets). */
export interface NewEntry {
  kind: string;
  party: 'insurance' | 'patient';
  claimId: string;
  line: number;
  patientId: string;
  amountCents: number;
  on: string;
  method: string;
  groupCode: string;
  reasonCode: string;
  remarks: string[];
  reference: string;
  refundReason: string;
  note: string;
}
