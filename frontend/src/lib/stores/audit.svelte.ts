import * as api from '../api';
import type { AuditCheck, AuditFilter, AuditRow } from '../api';

export const AUDIT_PAGE = 500;

export function emptyFilter(): AuditFilter {
  return { from: '', to: '', accountId: '', action: '', recordId: '', limit: AUDIT_PAGE };
}

export class AuditStore {
  filter = $state<AuditFilter>(emptyFilter());
  rows = $state<AuditRow[]>([]);
  loaded = $state(false);
  check = $state<AuditCheck | null>(null);

  async query(): Promise<AuditRow[]> {
    this.rows = await api.audit.query({ ...this.filter, recordId: this.filter.recordId.trim() });
    this.loaded = true;
    return this.rows;
  }

  /** Returns the saved path or "" if the user cancelled. */
  async exportCsv(): Promise<string> {
    return api.audit.export({ ...this.filter, limit: 0 });
  }

  async verify(): Promise<AuditCheck> {
    this.check = await api.audit.verify();
    return this.check;
  }

  clearFilter(): void {
    this.filter = emptyFilter();
  }

  reset(): void {
    this.filter = emptyFilter();
    this.rows = [];
    this.loaded = false;
    this.check = null;
  }
}

export const auditStore = new AuditStore();
