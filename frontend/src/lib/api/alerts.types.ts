// Plain data shapes of the bound Go structs for alerts (internal/alerts).

export interface AlertRecipient {
  role?: string;
  accountId?: string;
  clinicianId?: string;
}

/** 0 notice, 1 warning (this week), 2 urgent (today). */
export type AlertSeverity = 0 | 1 | 2;

export interface Alert {
  key: string;
  area: string;
  severity: number;
  kind: string;
  title: string;
  due: string;
  table: string;
  id: string;
  patientId: string;
  to: AlertRecipient[] | null;
}
