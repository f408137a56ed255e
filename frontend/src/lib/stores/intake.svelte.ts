import * as api from '../api';
import type {
  CheckinCode,
  RecordDecision,
  IntakeReview,
  ReadForm,
  Submission,
  SubmissionSummary,
  SubmitResult,
  Visit,
  VisitRequest,
} from '../api';

/** How far back the Intake screen lists packets. */
export const INTAKE_DAYS = 30;

export class IntakeStore {
  list = $state<SubmissionSummary[]>([]);
  loaded = $state(false);
  /** The submission open for review (the clinician's and the owner's only). */
  current = $state<Submission | null>(null);
  /** The open submission's forms in words, beside the questions the patient was shown. */
  read = $state<ReadForm[]>([]);
  /** The changes to the record of the submission under review (front desk and owner). */
  review = $state<IntakeReview | null>(null);
  /** The visit this computer was handed over for ("hand to patient"): tablet mode while set. */
  handedOver = $state<Visit | null>(null);
  /** This computer waits for a patient's check-in code (tablet mode, before a visit). */
  codeEntry = $state(false);
  /** Today's check-in codes (the front desk's). */
  codes = $state<CheckinCode[]>([]);

  async load(): Promise<void> {
    this.list = await api.intakeApi.list(INTAKE_DAYS);
    this.loaded = true;
  }

  async open(id: string): Promise<void> {
    const opened = await api.intakeApi.submission(id);
    this.current = opened.submission;
    this.read = opened.read;
  }

  async acknowledge(): Promise<void> {
    if (!this.current) return;
    this.current = await api.intakeApi.acknowledge(this.current.id);
    // An acknowledged flag may be all that kept the open review waiting.
    if (this.review?.submissionId === this.current.id) await this.openReview(this.current.id);
  }

  async openReview(id: string): Promise<void> {
    this.review = await api.intakeApi.changes(id);
  }

  /** Records decisions on the open review; an empty map finishes one with nothing left to decide. */
  async decide(decisions: Record<string, Exclude<RecordDecision, ''>>): Promise<void> {
    if (!this.review) return;
    this.review = await api.intakeApi.decide(this.review.submissionId, decisions);
    await this.load();
  }

  async handToPatient(r: VisitRequest): Promise<void> {
    this.handedOver = await api.intakeApi.handToPatient(r);
  }

  async loadCodes(): Promise<void> {
    this.codes = await api.intakeApi.checkinCodes();
  }

  /** Replaces an appointment's check-in code and shows the new one. */
  async newCode(appointmentId: string): Promise<void> {
    const fresh = await api.intakeApi.newCheckinCode(appointmentId);
    this.codes = this.codes.map((c) => (c.appointmentId === appointmentId ? fresh : c));
  }

  /** Hands this computer to a patient who has a check-in code. */
  startCodeEntry(): void {
    this.codeEntry = true;
  }

  /** The patient's code and date of birth matched: their packet starts here. */
  async checkIn(code: string, dob: string): Promise<void> {
    this.handedOver = await api.intakeApi.checkIn(code, dob);
    this.codeEntry = false;
  }

  sendToTablet(r: VisitRequest): Promise<void> {
    return api.intakeApi.sendToTablet(r);
  }

  /** Submits a packet filled in on this computer; the list then shows it for when staff take the computer back. */
  async submit(s: Submission): Promise<SubmitResult> {
    const result = await api.intakeApi.submit(s);
    await this.load().catch(() => undefined);
    return result;
  }

  /** Ends tablet mode: the visit's packet is forgotten. */
  endHandOver(): void {
    this.handedOver = null;
    this.codeEntry = false;
  }

  /** Reloads what is loaded (another computer filed or acknowledged a submission). */
  async refresh(): Promise<void> {
    if (this.loaded) await this.load();
    if (this.current) await this.open(this.current.id);
    if (this.review) await this.openReview(this.review.submissionId);
  }

  reset(): void {
    this.list = [];
    this.loaded = false;
    this.current = null;
    this.review = null;
    this.handedOver = null;
    this.codeEntry = false;
    this.codes = [];
  }
}

export const intakeStore = new IntakeStore();
