// Words for an authorization's kind and state, and a blank one to fill in.

import type { Authorization } from '../../api';

export const KIND_LABEL: Record<string, string> = {
  eap: 'EAP benefit',
  prior: 'Prior authorization',
  visit_limit: 'Visit limit',
};

export const STATE_LABEL: Record<string, string> = {
  requested: 'Requested',
  denied: 'Denied',
  upcoming: 'Not started',
  active: 'Active',
  exhausted: 'Used up',
  expired: 'Expired',
};

/** A new authorization: an EAP benefit of 6 sessions from today for 90 days. */
export function emptyAuthorization(patientId: string, payerId: string, today = new Date()): Authorization {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const end = new Date(today);
  end.setDate(end.getDate() + 90);
  return {
    id: '',
    patientId,
    payerId,
    renewsId: '',
    kind: 'eap',
    status: 'authorized',
    unit: 'sessions',
    requested: 6,
    authorized: 6,
    start: day(today),
    end: day(end),
    requestedOn: '',
    serviceCodes: [],
    warnRemaining: 1,
    warnDays: 14,
    countMissed: '',
    number: '',
    quotedNumber: '',
    employer: '',
    eapCaseNumber: '',
    eapMemberId: '',
    benefitYear: '',
    payerContact: '',
    callReference: '',
    notes: '',
  };
}
