// Billing: sessions to claims, the scrubber, exports, the ledger and the
// dashboards (app/billing.go).

import * as BillingFn from '../../../wailsjs/go/app/Billing';
import { practice } from '../../../wailsjs/go/models';
import { call, list } from './call';
import type {
  BatchResult,
  ClaimRow,
  ClaimStatus,
  ClaimView,
  Dashboard,
  Diagnosis,
  DiagnosesView,
  Finding,
  LedgerEntry,
  NewEntry,
  Unbilled,
} from './billing.types';

/** How many claims besides drafts the Billing screen lists: years of them are more than anyone reads. */
export const CLAIMS_SHOWN = 200;

export const billingApi = {
  unbilled: async (from: string, to: string): Promise<Unbilled[]> =>
    list(await call(() => BillingFn.Unbilled(from, to))),
  createBatch: async (ids: string[]): Promise<BatchResult> =>
    (await call(() => BillingFn.CreateBatch(ids))) as unknown as BatchResult,
  /** Every draft and ready claim and the newest `newest` others (0: all of them). */
  claims: async (status: ClaimStatus[] = [], newest = CLAIMS_SHOWN): Promise<ClaimRow[]> =>
    list(await call(() => BillingFn.Claims({ status, payerId: '', newest }))) as unknown as ClaimRow[],
  claim: async (id: string): Promise<ClaimView> => (await call(() => BillingFn.Claim(id))) as unknown as ClaimView,
  editClaim: async (claimId: string, authNumber: string, originalRef: string, note: string): Promise<ClaimView> =>
    (await call(() =>
      BillingFn.EditClaim(practice.ClaimEdit.createFrom({ claimId, authNumber, originalRef, note, lines: null })),
    )) as unknown as ClaimView,
  refreshDiagnoses: async (claimId: string): Promise<ClaimView> =>
    (await call(() => BillingFn.RefreshDiagnoses(claimId))) as unknown as ClaimView,
  scrub: async (ids: string[]): Promise<Finding[]> => list(await call(() => BillingFn.Scrub(ids))) as Finding[],
  export837: (ids: string[]): Promise<string> => call(() => BillingFn.Export837(ids)),
  exportCSV: (kind: 'ledger' | 'claims', from = '', to = ''): Promise<string> =>
    call(() => BillingFn.ExportCSV(kind, from, to)),
  document: (kind: 'superbill' | 'statement' | 'cms1500', id: string, from = '', to = ''): Promise<string> =>
    call(() => BillingFn.Document(kind, id, from, to)),
  post: async (e: NewEntry): Promise<LedgerEntry> =>
    (await call(() =>
      BillingFn.Post(
        practice.Entry.createFrom({
          ...e,
          id: '',
          payerId: '',
          appointmentId: '',
          expectedCents: 0,
          // The backend stamps it; Go's time.Time refuses "" (the call would be refused unread).
          posted: '0001-01-01T00:00:00Z',
          accountId: '',
        }),
      ),
    )) as unknown as LedgerEntry,
  dashboard: async (): Promise<Dashboard> => (await call(() => BillingFn.Dashboard())) as unknown as Dashboard,
  diagnoses: async (patientId: string): Promise<DiagnosesView> => await call(() => BillingFn.Diagnoses(patientId)),
  saveDiagnoses: async (patientId: string, list: Diagnosis[], note: string): Promise<DiagnosesView> =>
    await call(() => BillingFn.SaveDiagnoses(practice.Diagnoses.createFrom({ patientId, list, note }))),
  commonDiagnoses: async (): Promise<Diagnosis[]> => list(await call(() => BillingFn.CommonDiagnoses())),
};
