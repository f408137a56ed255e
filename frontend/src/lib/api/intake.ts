// Intake paperwork: handing a patient their packet, what they submitted,
// and the safety flag's acknowledgement (app/intake.go).

import * as IntakeFn from '../../../wailsjs/go/app/Intake';
import { app, practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type {
  CheckinCode,
  Form,
  FormEdit,
  FormEdition,
  RecordDecision,
  IntakeReview,
  Language,
  OpenedSubmission,
  ScorePoint,
  Submission,
  SubmissionSummary,
  SubmitResult,
  Visit,
  VisitRequest,
} from './intake.types';

export const intakeApi = {
  /** Every form's current version, for the owner to edit. */
  formEditions: async (): Promise<FormEdition[]> =>
    list<FormEdition>((await call(() => IntakeFn.FormEditions())) as FormEdition[]),
  /** Saves the owner's edit as the form's next version (the same version when nothing changed). */
  editForm: (e: FormEdit): Promise<Form> => call(() => IntakeFn.EditForm(toGo(practice.FormEdit, e))) as Promise<Form>,
  list: async (days: number): Promise<SubmissionSummary[]> =>
    list<SubmissionSummary>(await call(() => IntakeFn.List(days))),
  submission: (id: string): Promise<OpenedSubmission> =>
    call(() => IntakeFn.Submission(id)) as Promise<OpenedSubmission>,
  /** The patient's PHQ-9 and GAD-7 scores, oldest first (the patient's clinician and the owner). */
  trend: async (patientId: string): Promise<ScorePoint[]> =>
    list<ScorePoint>(await call(() => IntakeFn.Trend(patientId))),
  acknowledge: (id: string): Promise<Submission> => call(() => IntakeFn.Acknowledge(id)) as Promise<Submission>,
  /** What the submission would change in the patient's record, beside what is on file. */
  changes: (id: string): Promise<IntakeReview> => call(() => IntakeFn.Changes(id)) as Promise<IntakeReview>,
  /** Accepts or declines changes (field → decision); an empty map finishes a review with nothing left. */
  decide: (id: string, decisions: Record<string, Exclude<RecordDecision, ''>>): Promise<IntakeReview> =>
    call(() => IntakeFn.Decide(id, decisions)) as Promise<IntakeReview>,
  handToPatient: (r: VisitRequest): Promise<Visit> =>
    call(() => IntakeFn.HandToPatient(toGo(app.VisitRequest, r))) as Promise<Visit>,
  sendToTablet: (r: VisitRequest): Promise<void> => call(() => IntakeFn.SendToTablet(toGo(app.VisitRequest, r))),
  submit: (s: Submission): Promise<SubmitResult> => call(() => IntakeFn.Submit(practice.Submission.createFrom(s))),
  /** Returns the saved file's path, or "" when the user cancelled. */
  exportPdf: (id: string): Promise<string> => call(() => IntakeFn.ExportPDF(id)),
  blankPacket: (packetId: string, lang: Language): Promise<string> => call(() => IntakeFn.BlankPacket(packetId, lang)),
  /** Today's check-in codes, for the front desk to read out or print. */
  checkinCodes: async (): Promise<CheckinCode[]> => list<CheckinCode>(await call(() => IntakeFn.CheckinCodes())),
  /** Replaces an appointment's code (a locked one): the old one stops working. */
  newCheckinCode: (appointmentId: string): Promise<CheckinCode> => call(() => IntakeFn.NewCheckinCode(appointmentId)),
  /** The visit a patient's check-in code and date of birth start on this computer; refused otherwise. */
  checkIn: (code: string, dob: string): Promise<Visit> => call(() => IntakeFn.CheckIn(code, dob)) as Promise<Visit>,
};
