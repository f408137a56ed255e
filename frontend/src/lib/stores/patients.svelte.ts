import * as api from '../api';
import type { InsurancePolicy, Patient, PatientRecord, PatientSummary } from '../api';

export const SEARCH_DEBOUNCE_MS = 250;

export class PatientsStore {
  query = $state('');
  results = $state<PatientSummary[]>([]);
  /** How many patients match in all; results holds the first of them. */
  total = $state(0);
  searching = $state(false);
  /** True once a search has answered, so "no patients" is not shown before the first answer. */
  searched = $state(false);
  current = $state<PatientRecord | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;
  private seq = 0;

  /** Sets the query and searches after a short pause in typing. */
  setQuery(q: string): void {
    this.query = q;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.search().catch(() => undefined);
    }, SEARCH_DEBOUNCE_MS);
  }

  /** Searches now; an answer to an older search never overwrites a newer one. */
  async search(): Promise<void> {
    // A search typed-and-waiting is this one now: its late answer must not replace ours.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const mine = ++this.seq;
    this.searching = true;
    try {
      const found = await api.patients.search(this.query.trim());
      if (mine === this.seq) {
        this.results = found.patients;
        this.total = found.total;
        this.searched = true;
      }
    } finally {
      if (mine === this.seq) this.searching = false;
    }
  }

  async open(id: string): Promise<PatientRecord> {
    if (this.current?.patient.id !== id) this.current = null;
    const rec = await api.patients.get(id);
    this.current = rec;
    return rec;
  }

  close(): void {
    this.current = null;
  }

  async create(p: Patient): Promise<PatientRecord> {
    const rec = await api.patients.create(p);
    this.current = rec;
    this.upsertSummary(rec);
    return rec;
  }

  async update(p: Patient): Promise<PatientRecord> {
    const rec = await api.patients.update(p);
    this.current = rec;
    this.upsertSummary(rec);
    return rec;
  }

  async savePolicy(p: InsurancePolicy): Promise<PatientRecord> {
    const rec = await api.patients.savePolicy(p);
    this.current = rec;
    return rec;
  }

  async deletePolicy(patientId: string, policyId: string): Promise<PatientRecord> {
    const rec = await api.patients.deletePolicy(patientId, policyId);
    this.current = rec;
    return rec;
  }

  /** Another computer changed patients: runs the shown search again and reloads the open record. */
  async refresh(): Promise<void> {
    const open = this.current?.patient.id;
    await Promise.all([this.searched ? this.search() : null, open ? this.reopen(open) : null]);
  }

  /** Reloads the open record unless another one was opened meanwhile. */
  private async reopen(id: string): Promise<void> {
    const rec = await api.patients.get(id);
    if (this.current?.patient.id === id) this.current = rec;
  }

  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.seq++;
    this.query = '';
    this.results = [];
    this.total = 0;
    this.searching = false;
    this.searched = false;
    this.current = null;
  }

  private upsertSummary(rec: PatientRecord): void {
    const s = summaryOf(rec.patient);
    const i = this.results.findIndex((r) => r.id === s.id);
    if (i >= 0) this.results[i] = s;
  }
}

export function summaryOf(p: Patient): PatientSummary {
  return {
    id: p.id,
    firstName: p.identity.firstName,
    lastName: p.identity.lastName,
    preferredName: p.identity.preferredName,
    dob: p.identity.dob,
    phone: p.contact.phone,
    active: p.active,
    next: '0001-01-01T00:00:00Z', // a patient just saved: the next search brings it
  };
}

export function emptyPatient(): Patient {
  const address = { line1: '', line2: '', city: '', state: '', zip: '' };
  const person = { name: '', relationship: '', phone: '', email: '' };
  return {
    id: '',
    identity: { firstName: '', lastName: '', preferredName: '', dob: '', sex: '', gender: '', pronouns: '' },
    contact: { phone: '', email: '', address, noReminders: false, language: '' },
    emergency: { ...person },
    guardian: { ...person },
    active: true,
  };
}

export function emptyPolicy(patientId: string): InsurancePolicy {
  return {
    id: '',
    patientId,
    payerId: '',
    rank: 'primary',
    memberId: '',
    groupNumber: '',
    subscriber: { name: '', dob: '', relationship: 'self' },
  };
}

export const patients = new PatientsStore();
