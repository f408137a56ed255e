import type { Role } from './api';

export type AreaId =
  | 'needs'
  | 'calendar'
  | 'patients'
  | 'intake'
  | 'credentialing'
  | 'authorizations'
  | 'billing'
  | 'reports'
  | 'settings'
  | 'audit';

export interface Area {
  id: AreaId;
  label: string;
  /** Facades whose permissions open this area ("Patients" ⇐ "Patients.Search"). */
  facades: string[];
  /** Single permissions that also open it (everyone may change their own password). */
  permissions?: string[];
  /**
   * Areas whose facade is not built yet have no permissions to test; until
   * it exists, these roles see the "coming" panel.
   */
  plannedFor?: Role[];
  /** What the area will do, shown on its "coming" panel. */
  coming?: { summary: string; points: string[] };
}

export const AREAS: readonly Area[] = [
  { id: 'calendar', label: 'Calendar', facades: ['Calendar'] },
  { id: 'patients', label: 'Patients', facades: ['Patients'] },
  { id: 'intake', label: 'Intake', facades: ['Intake'] },
  { id: 'credentialing', label: 'Credentialing', facades: ['Credentialing'] },
  { id: 'authorizations', label: 'Authorizations', facades: ['Authorizations'] },
  // Billing is the biller's and the owner's; the front desk takes copays and
  // clinicians enter diagnoses from the patient's record, not here.
  { id: 'billing', label: 'Billing', facades: [], permissions: ['Billing.Claims'] },
  {
    id: 'reports',
    label: 'Reports',
    facades: ['Reports'],
    plannedFor: ['owner'],
    coming: {
      summary: 'Dashboards for the practice manager.',
      points: [
        'Credentialing deadlines and authorizations running out.',
        'Billing status and no-show rates by clinician and month.',
      ],
    },
  },
  { id: 'settings', label: 'Settings', facades: ['Practice', 'Staff'], permissions: ['Session.ChangePassword'] },
  { id: 'audit', label: 'Audit', facades: ['Audit'] },
  // What needs this person's action, from every area: one click from anywhere (last, so the
  // other areas keep their Alt+number).
  { id: 'needs', label: 'Needs action', facades: ['Alerts'] },
];

function hasFacade(permissions: readonly string[], facade: string): boolean {
  const prefix = facade + '.';
  return permissions.some((p) => p.startsWith(prefix));
}

/**
 * The areas an account sees: those it has any permission for, plus areas not
 * built yet (no permission names exist for them) planned for its role.
 */
export function visibleAreas(permissions: readonly string[], role: string | undefined): Area[] {
  return AREAS.filter((a) => {
    if (a.facades.some((f) => hasFacade(permissions, f))) return true;
    if (a.permissions?.some((p) => permissions.includes(p))) return true;
    return !!a.coming && !!role && (a.plannedFor ?? []).includes(role as Role);
  });
}
