// Intake paperwork: handing a patient their packet, what they submitted,
// and the safety flag's acknowledgement (app/intake.go).

import * as IntakeFn from '../../../wailsjs/go/app/Intake';
import { app, practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { Language, Submission, SubmissionSummary, SubmitResult, Visit, VisitRequest } from './intake.types';

export const intakeApi = {
  list: async (days: number): Promise<SubmissionSummary[]> =>
    list<SubmissionSummary>(await call(() => IntakeFn.List(days))),
  submission: (id: string): Promise<Submission> => call(() => IntakeFn.Submission(id)) as Promise<Submission>,
  acknowledge: (id: string): Promise<Submission> => call(() => IntakeFn.Acknowledge(id)) as Promise<Submission>,
  handToPatient: (r: VisitRequest): Promise<Visit> =>
    call(() => IntakeFn.HandToPatient(toGo(app.VisitRequest, r))) as Promise<Visit>,
  sendToTablet: (r: VisitRequest): Promise<void> => call(() => IntakeFn.SendToTablet(toGo(app.VisitRequest, r))),
  submit: (s: Submission): Promise<SubmitResult> => call(() => IntakeFn.Submit(practice.Submission.createFrom(s))),
  /** Returns the saved file's path, or "" when the user cancelled. */
  exportPdf: (id: string): Promise<string> => call(() => IntakeFn.ExportPDF(id)),
  blankPacket: (packetId: string, lang: Language): Promise<string> => call(() => IntakeFn.BlankPacket(packetId, lang)),
};
