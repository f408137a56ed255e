// What the credentialing screens show, worked out from the overview the
// backend computed (the rules themselves live in internal/credentialing):
// labels, the matrix cells, the 120-day timeline by week, the lapse rows,
// and CSV for every chart's table.

import type { Band, Credential, CredentialKind, CredentialingOverview, Deadline, EnrollmentStatus } from '../api';

export const STATUS_LABELS: Record<EnrollmentStatus, string> = {
  not_started: 'Not started',
  application_sent: 'Application sent',
  in_process: 'In process',
  approved: 'Approved',
  recredentialing_due: 'Recredentialing due',
  denied: 'Denied',
  terminated: 'Terminated',
};

export const STATUS_OPTIONS = (Object.keys(STATUS_LABELS) as EnrollmentStatus[]).map((value) => ({
  value,
  label: STATUS_LABELS[value],
}));

export const KIND_LABELS: Record<CredentialKind | 'follow_up', string> = {
  licence: 'Licence',
  caqh: 'CAQH attestation',
  malpractice: 'Malpractice',
  dea: 'DEA registration',
  board: 'Board certification',
  document: 'Document',
  follow_up: 'Enrollment follow-up',
};

export const KIND_OPTIONS = (['licence', 'caqh', 'malpractice', 'dea', 'board', 'document'] as const).map((value) => ({
  value,
  label: KIND_LABELS[value],
}));

/** Whether a status puts the clinician in network from its effective date (else the date is expected). */
export function inNetworkStatus(s: EnrollmentStatus): boolean {
  return s === 'approved' || s === 'recredentialing_due';
}

/** How a band reads: "Within 30 days", "Expired", "Overdue". */
export function bandLabel(b: Band): string {
  switch (b) {
    case '':
      return 'Later';
    case 'expired':
      return 'Expired';
    case 'overdue':
      return 'Overdue';
    case 'due':
      return 'Due today';
  }
  return `Within ${b} days`;
}

/** The badge class of a band: past is an error, the last bands a warning. */
export function bandTone(b: Band): 'error' | 'warn' | 'info' | '' {
  if (b === 'expired' || b === 'overdue') return 'error';
  if (b === '30' || b === '10' || b === '5' || b === 'due') return 'warn';
  if (b === '') return '';
  return 'info';
}

/** Names a credential: "OR LCSW licence", "CAQH attestation". */
export function credentialLabel(c: Pick<Credential, 'kind' | 'state' | 'type'>): string {
  switch (c.kind) {
    case 'licence':
      return `${c.state} ${c.type} licence`;
    case 'caqh':
      return 'CAQH attestation';
    case 'malpractice':
      return 'Malpractice policy';
    case 'dea':
      return `DEA registration${c.state ? ` (${c.state})` : ''}`;
    case 'board':
      return `${c.type} certification`;
  }
  return c.type;
}

/** "in 25 days", "today", "3 days ago". */
export function relativeDays(n: number): string {
  if (n === 0) return 'today';
  if (n === 1) return 'tomorrow';
  if (n === -1) return '1 day ago';
  return n > 0 ? `in ${n} days` : `${-n} days ago`;
}

/** Dollars from cents: 24000 → "$240.00" (format.ts's formatMoney). */
export { formatMoney as money } from '../format';

/** The next deadline of a clinician with a payer: their own credentials' and that enrollment's follow-up. */
export function nextDeadline(o: CredentialingOverview, clinicianId: string, payerId: string): Deadline | undefined {
  return o.deadlines.find(
    (d) => d.clinicianId === clinicianId && (d.kind !== 'follow_up' || d.payerId === payerId) && d.band !== '',
  );
}

/** The deadlines due within `days` of today, and those already past. */
export function timeline(o: CredentialingOverview, days = 120): Deadline[] {
  return o.deadlines.filter((d) => d.daysLeft <= days);
}

/** The timeline counted by week from today (week 0 holds everything already past), by kind. */
export function timelineWeeks(list: Deadline[], days = 120): { week: number; counts: Record<string, number> }[] {
  const weeks = Math.ceil(days / 7) + 1;
  const out = Array.from({ length: weeks }, (_, week) => ({ week, counts: new Map<string, number>() }));
  for (const d of list) {
    const w = d.daysLeft < 0 ? 0 : Math.min(weeks - 1, Math.floor(d.daysLeft / 7));
    const c = out[w].counts;
    c.set(d.kind, (c.get(d.kind) ?? 0) + 1);
  }
  return out.map((x) => ({ week: x.week, counts: Object.fromEntries(x.counts) }));
}

/** Follow-ups due today or slipped, oldest first. */
export function overdueFollowUps(o: CredentialingOverview): Deadline[] {
  return o.deadlines.filter((d) => d.kind === 'follow_up' && (d.band === 'overdue' || d.band === 'due'));
}

/** One CSV line per row, fields quoted when they need it (RFC 4180). */
export function toCSV(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** One data series of a chart (ChartCard). */
export interface Series {
  label: string;
  data: number[];
  color: string;
}

/** Chart colours readable on both themes, one per deadline kind. */
export const KIND_COLORS: Record<CredentialKind | 'follow_up', string> = {
  licence: '#1d6870',
  caqh: '#b7791f',
  malpractice: '#6b46c1',
  dea: '#2b6cb0',
  board: '#718096',
  document: '#4a5568',
  follow_up: '#c53030',
};
