// Patients and their insurance policies (app/patients.go).

import * as PatientsFn from '../../../wailsjs/go/app/Patients';
import { practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { InsurancePolicy, Patient, PatientRecord, PatientSearch, PatientSummary } from './patients.types';

export const patients = {
  search: async (query: string): Promise<{ patients: PatientSummary[]; total: number }> => {
    const found: PatientSearch = await call(() => PatientsFn.Search(query));
    return { patients: list(found.patients), total: found.total };
  },
  get: (id: string): Promise<PatientRecord> => call(() => PatientsFn.Get(id)),
  create: (p: Patient): Promise<PatientRecord> => call(() => PatientsFn.Create(toGo(practice.Patient, p))),
  update: (p: Patient): Promise<PatientRecord> => call(() => PatientsFn.Update(toGo(practice.Patient, p))),
  savePolicy: (p: InsurancePolicy): Promise<PatientRecord> =>
    call(() => PatientsFn.SavePolicy(toGo(practice.InsurancePolicy, p))),
  deletePolicy: (patientId: string, policyId: string): Promise<PatientRecord> =>
    call(() => PatientsFn.DeletePolicy(patientId, policyId)),
};
