import * as api from '../api';
import type { Submission, SubmissionSummary, SubmitResult, Visit, VisitRequest } from '../api';

/** How far back the Intake screen lists packets. */
export const INTAKE_DAYS = 30;

export class IntakeStore {
  list = $state<SubmissionSummary[]>([]);
  loaded = $state(false);
  /** The submission open for review (the clinician's and the owner's only). */
  current = $state<Submission | null>(null);
  /** The visit this computer was handed over for ("hand to patient"): tablet mode while set. */
  handedOver = $state<Visit | null>(null);

  async load(): Promise<void> {
    this.list = await api.intakeApi.list(INTAKE_DAYS);
    this.loaded = true;
  }

  async open(id: string): Promise<void> {
    this.current = await api.intakeApi.submission(id);
  }

  async acknowledge(): Promise<void> {
    if (!this.current) return;
    this.current = await api.intakeApi.acknowledge(this.current.id);
  }

  async handToPatient(r: VisitRequest): Promise<void> {
    this.handedOver = await api.intakeApi.handToPatient(r);
  }

  sendToTablet(r: VisitRequest): Promise<void> {
    return api.intakeApi.sendToTablet(r);
  }

  submit(s: Submission): Promise<SubmitResult> {
    return api.intakeApi.submit(s);
  }

  /** Ends tablet mode: the visit's packet is forgotten. */
  endHandOver(): void {
    this.handedOver = null;
  }

  /** Reloads what is loaded (another computer filed or acknowledged a submission). */
  async refresh(): Promise<void> {
    if (this.loaded) await this.load();
    if (this.current) await this.open(this.current.id);
  }

  reset(): void {
    this.list = [];
    this.loaded = false;
    this.current = null;
    this.handedOver = null;
  }
}

export const intakeStore = new IntakeStore();
