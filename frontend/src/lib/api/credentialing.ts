// Credentialing: clinicians' credentials, payer enrollments, deadlines and
// the lapse estimate (app/credentialing.go).

import * as CredentialingFn from '../../../wailsjs/go/app/Credentialing';
import { credentialing, practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { AttachedFile } from './shared.types';
import type {
  Credential,
  CredentialingOverview,
  CredentialingSettings,
  Enrollment,
  EnrollmentChange,
  EnrollmentEvent,
} from './credentialing.types';

export const credentialingApi = {
  overview: async (): Promise<CredentialingOverview> => {
    const o = await call(() => CredentialingFn.Overview());
    return o as CredentialingOverview;
  },
  saveCredential: (c: Credential): Promise<Credential> =>
    call(() => CredentialingFn.SaveCredential(toGo(practice.Credential, c))) as Promise<Credential>,
  deleteCredential: (id: string): Promise<void> => call(() => CredentialingFn.DeleteCredential(id)),
  recordEnrollment: (ch: EnrollmentChange): Promise<Enrollment> =>
    call(() => CredentialingFn.RecordEnrollment(toGo(credentialing.EnrollmentChange, ch))) as Promise<Enrollment>,
  history: async (enrollmentId: string): Promise<EnrollmentEvent[]> =>
    list(await call(() => CredentialingFn.History(enrollmentId))) as EnrollmentEvent[],
  saveSettings: (s: CredentialingSettings): Promise<CredentialingSettings> =>
    call(() => CredentialingFn.SaveSettings(toGo(practice.CredentialingSettings, s))),
  attachScan: (credentialId: string, name: string, base64: string): Promise<AttachedFile> =>
    call(() => CredentialingFn.AttachScan(credentialId, name, base64)),
  scans: async (credentialId: string): Promise<AttachedFile[]> =>
    list<AttachedFile>(await call(() => CredentialingFn.Scans(credentialId))),
  /** Saves a copy where the person chooses; '' when they cancelled. */
  saveScan: (credentialId: string, documentId: string): Promise<string> =>
    call(() => CredentialingFn.SaveScan(credentialId, documentId)),
};
