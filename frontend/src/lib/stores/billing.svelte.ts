// Billing: last week's unbilled sessions, the claims, the one claim open
// (its findings and ledger) and the dashboards.

import * as api from '../api';
import type { ClaimRow, ClaimView, Dashboard, NewEntry, Unbilled } from '../api';
import { lastWeek } from '../billing/rules';

export { cents, lastWeek, money } from '../billing/rules';

/** Tables whose merged changes reload billing (stores/live.ts). */
export const BILLING_TABLES = [
  'claims',
  'claim_submissions',
  'ledger',
  'diagnoses',
  'billing_settings',
  'payer_billing',
];

export class BillingStore {
  range = $state<{ from: string; to: string }>({ from: '', to: '' });
  unbilled = $state<Unbilled[]>([]);
  claims = $state<ClaimRow[]>([]);
  open = $state<ClaimView | null>(null);
  dashboard = $state<Dashboard | null>(null);
  skipped = $state<{ appointmentId: string; reason: string }[]>([]);
  loaded = $state(false);

  async load(today: string): Promise<void> {
    if (!this.range.from) this.range = lastWeek(today);
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const [u, c, d] = await Promise.all([
      api.billingApi.unbilled(this.range.from, this.range.to),
      api.billingApi.claims(),
      api.billingApi.dashboard(),
    ]);
    this.unbilled = u;
    this.claims = c;
    this.dashboard = d;
    if (this.open) this.open = await api.billingApi.claim(this.open.claim.id);
    this.loaded = true;
  }

  /** The sessions shown that a claim can bill: self-pay ones get a superbill instead. */
  get billable(): Unbilled[] {
    return this.unbilled.filter((u) => u.payerId);
  }

  /** Makes draft claims of every billable session shown; opens the first with errors. */
  async createBatch(): Promise<number> {
    const res = await api.billingApi.createBatch(this.billable.map((u) => u.appointmentId));
    this.skipped = res.skipped;
    this.open = res.claims.find((c) => c.errors > 0) ?? res.claims[0] ?? null;
    await this.refresh();
    return res.claims.length;
  }

  async openClaim(id: string): Promise<void> {
    this.open = await api.billingApi.claim(id);
  }

  async saveClaim(authNumber: string, originalRef: string, note: string): Promise<void> {
    if (!this.open) return;
    this.open = await api.billingApi.editClaim(this.open.claim.id, authNumber, originalRef, note);
    await this.refresh();
  }

  /** Exports every draft claim without errors; returns the path ("" cancelled). */
  async exportReady(ids: string[]): Promise<string> {
    const path = await api.billingApi.export837(ids);
    await this.refresh();
    return path;
  }

  async post(e: NewEntry): Promise<void> {
    await api.billingApi.post(e);
    await this.refresh();
  }

  reset(): void {
    this.range = { from: '', to: '' };
    this.unbilled = [];
    this.claims = [];
    this.open = null;
    this.dashboard = null;
    this.skipped = [];
    this.loaded = false;
  }
}

export const billingStore = new BillingStore();
