import * as api from '../api';
import type {
  Credential,
  CredentialingOverview,
  CredentialingSettings,
  Enrollment,
  EnrollmentChange,
  EnrollmentEvent,
} from '../api';

/** The tables whose changes on another computer reload the overview. */
export const CREDENTIALING_TABLES = [
  'credentials',
  'enrollments',
  'enrollment_events',
  'credentialing_settings',
  'clinicians',
  'payers',
  'appointments',
] as const;

/** An enrollment not on record yet: what the matrix opens for an empty cell. */
export function newEnrollment(clinicianId: string, payerId: string): Enrollment {
  return {
    id: '',
    clinicianId,
    payerId,
    status: 'not_started',
    effectiveOn: '',
    followUpOn: '',
    assigneeId: '',
    providerId: '',
    contractId: '',
    reference: '',
    contact: '',
  };
}

export class CredentialingStore {
  overview = $state<CredentialingOverview | null>(null);
  loaded = $state(false);
  /** The history of the enrollment open in the dialog. */
  history = $state<EnrollmentEvent[]>([]);

  async load(): Promise<CredentialingOverview> {
    const o = await api.credentialingApi.overview();
    o.settings.expectedCents ??= {};
    this.overview = o;
    this.loaded = true;
    return o;
  }

  /** Reloads what is shown; nothing when the screen was never opened. */
  async refresh(): Promise<void> {
    if (this.loaded) await this.load();
  }

  enrollment(clinicianId: string, payerId: string): Enrollment | undefined {
    return this.overview?.enrollments.find((e) => e.clinicianId === clinicianId && e.payerId === payerId);
  }

  clinicianName(id: string): string {
    const c = this.overview?.clinicians.find((x) => x.id === id);
    return c ? `${c.firstName} ${c.lastName}` : '';
  }

  payerName(id: string): string {
    return this.overview?.payers.find((y) => y.id === id)?.name ?? '';
  }

  async saveCredential(c: Credential): Promise<Credential> {
    const saved = await api.credentialingApi.saveCredential(c);
    await this.load();
    return saved;
  }

  async deleteCredential(id: string): Promise<void> {
    await api.credentialingApi.deleteCredential(id);
    await this.load();
  }

  async recordEnrollment(ch: EnrollmentChange): Promise<Enrollment> {
    const saved = await api.credentialingApi.recordEnrollment(ch);
    await this.load();
    return saved;
  }

  async loadHistory(enrollmentId: string): Promise<EnrollmentEvent[]> {
    this.history = enrollmentId ? await api.credentialingApi.history(enrollmentId) : [];
    return this.history;
  }

  async saveSettings(s: CredentialingSettings): Promise<CredentialingSettings> {
    const saved = await api.credentialingApi.saveSettings(s);
    await this.load();
    return saved;
  }

  reset(): void {
    this.overview = null;
    this.loaded = false;
    this.history = [];
  }
}

export const credentialingStore = new CredentialingStore();
