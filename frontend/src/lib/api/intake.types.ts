// Plain data shapes of the bound Go structs for intake (app/intake.go,
// internal/intake, internal/practice/intake.go), checked against the
// generated models by the api layer.

export type Language = 'en' | 'es';

export interface Localized {
  en: string;
  es: string;
}

export type QuestionKind = 'short' | 'long' | 'yesno' | 'single' | 'multi' | 'date';

export interface Option {
  value: string;
  label: Localized;
}

export interface Question {
  id: string;
  kind: QuestionKind;
  text: Localized;
  options?: Option[];
  required: boolean;
  field?: string;
  /** A question the owner added, not one of Quietdesk's own. */
  practice?: boolean;
}

export interface Form {
  id: string;
  version: number;
  kind: 'questions' | 'consent' | 'questionnaire';
  title: Localized;
  body: Localized;
  questions: Question[];
  optional: boolean;
}

/** The owner's change to a form (each one saved is a new version). */
export interface FormEdit {
  formId: string;
  /** The version the owner opened: a newer one saved meanwhile refuses the edit. */
  baseVersion: number;
  title: Localized;
  body: Localized;
  /** The practice's own questions, after the form's built-in ones. */
  questions: Question[];
}

/** A form's current version as its editor sees it. */
export interface FormEdition {
  form: Form;
  editable: boolean;
  /** The editor's name; empty for Quietdesk's own version. */
  editedBy: string;
  editedAt: string;
}

export type SignerRole = 'patient' | 'guardian' | 'partner';

export interface SignerName {
  role: SignerRole;
  index: number;
  name: string;
}

/** One patient's packet, as a tablet (or this computer handed to the patient) is given it. */
export interface Visit {
  submissionId: string;
  patientId: string;
  appointmentId: string;
  packetId: string;
  firstName: string;
  signers: SignerName[];
  forms: Form[];
  hashes: Record<string, Record<Language, string>>;
}

export interface Signature {
  role: SignerRole;
  index: number;
  name: string;
  /** PNG bytes, base64 (Go []byte). */
  image: string;
  signedAt: string;
}

export interface FormResponse {
  formId: string;
  version: number;
  textHash: string;
  answers: Record<string, string[]>;
  signatures?: Signature[];
  skipped?: boolean;
}

/** One questionnaire's score in one submission: a point of the patient's trend. */
export interface ScorePoint {
  submissionId: string;
  at: string;
  score: Score;
}

export interface Score {
  formId: string;
  total: number;
  max: number;
  band: string;
  difficulty?: string;
  safetyFlag: boolean;
}

export interface SubmissionReview {
  flagAckBy: string;
  flagAckAt: string;
  reviewedBy: string;
  reviewedAt: string;
  decisions?: Record<string, string>;
}

export interface Submission {
  id: string;
  patientId: string;
  appointmentId: string;
  packetId: string;
  language: Language;
  submittedAt: string;
  forms: FormResponse[];
  scores: Score[];
  /** 'needs-review' or 'reviewed'. */
  status: string;
  review: SubmissionReview;
}

/** A question as the patient was shown it, and the answer in words. */
export interface ReadAnswer {
  question: string;
  answer: string;
}

/** One form of a submission in words (English). */
export interface ReadForm {
  formId: string;
  title: string;
  version: number;
  skipped: boolean;
  answers: ReadAnswer[];
}

/** A submission as the clinician and the owner read it. */
export interface OpenedSubmission {
  submission: Submission;
  read: ReadForm[];
}

export interface SubmitResult {
  id: string;
  new: boolean;
  someoneWillCome: boolean;
}

export interface SubmissionSummary {
  id: string;
  patientId: string;
  patientName: string;
  packetId: string;
  submittedAt: string;
  /** 'needs-review' or 'reviewed'. */
  status: string;
}

export interface VisitRequest {
  patientId: string;
  appointmentId: string;
  packetId: string;
}

/** A staff decision on a change a patient proposed to their record. */
export type RecordDecision = '' | 'accepted' | 'declined';

/** One record field a submission answers differently from what is on file. */
export interface RecordChange {
  field: string;
  label: string;
  onFile: string;
  given: string;
  decision: RecordDecision;
}

/** A submission's proposed changes to the record, and what keeps its review open. */
export interface IntakeReview {
  submissionId: string;
  patientId: string;
  patientName: string;
  changes: RecordChange[];
  status: string;
  /** In words; '' once reviewed. */
  waiting: string;
}

/** One of today's appointments with a packet to do, and its check-in code (intake.CheckinCode). */
export interface CheckinCode {
  appointmentId: string;
  patientId: string;
  patientName: string;
  start: string;
  /** '' for the new-patient packet by date of birth. */
  packetId: string;
  /** Six digits; '' while locked. */
  code: string;
  locked: boolean;
}
