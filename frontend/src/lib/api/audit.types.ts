// Plain data shapes of the bound Go structs for the audit log (app/audit.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

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
  /** The device's name, when it has reported one ("" otherwise). */
  computer: string;
  accountId: string;
  who: string;
  action: string;
  /** The action in words. */
  what: string;
  table: string;
  recordId: string;
}

export interface AuditCheck {
  ok: boolean;
  entries: number;
  problem: string;
}
