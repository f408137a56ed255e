import { describe, expect, it } from 'vitest';
import { visibleAreas } from './areas';

const ids = (perms: string[], role: string) => visibleAreas(perms, role).map((a) => a.id);

describe('visibleAreas', () => {
  it('shows an owner every area', () => {
    expect(
      ids(
        [
          'Calendar.Range',
          'Patients.Search',
          'Credentialing.Overview',
          'Intake.List',
          'Practice.Settings',
          'Staff.Accounts',
          'Audit.Query',
          'Authorizations.List',
          'Alerts.Mine',
          'Billing.Claims',
        ],
        'owner',
      ),
    ).toEqual([
      'calendar',
      'patients',
      'intake',
      'credentialing',
      'authorizations',
      'billing',
      'reports',
      'settings',
      'audit',
      'needs',
    ]);
  });

  it('hides what a biller has no permission or plan for', () => {
    expect(
      ids(
        ['Patients.Search', 'Practice.Payers', 'Session.ChangePassword', 'Authorizations.Overview', 'Billing.Claims'],
        'biller',
      ),
    ).toEqual(['patients', 'authorizations', 'billing', 'settings']);
  });

  it('shows settings to anyone who may change their password', () => {
    expect(ids(['Session.ChangePassword'], 'clinician')).toContain('settings');
    expect(ids([], 'clinician')).not.toContain('settings');
  });
});
