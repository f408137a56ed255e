// Which screen each area opens (areas.ts lists the areas and who sees them).
// An area without a screen here shows its "coming" panel. A new area adds
// its line here; Shell.svelte does not change.

import type { Component } from 'svelte';
import type { AreaId } from '../areas';
import NeedsActionScreen from './alerts/NeedsActionScreen.svelte';
import AuditScreen from './audit/AuditScreen.svelte';
import AuthorizationsScreen from './authorizations/AuthorizationsScreen.svelte';
import BillingScreen from './billing/BillingScreen.svelte';
import CalendarScreen from './calendar/CalendarScreen.svelte';
import CredentialingScreen from './credentialing/CredentialingScreen.svelte';
import IntakeScreen from './intake/IntakeScreen.svelte';
import PatientsScreen from './patients/PatientsScreen.svelte';
import SettingsScreen from './settings/SettingsScreen.svelte';

export const AREA_SCREENS: Partial<Record<AreaId, Component>> = {
  needs: NeedsActionScreen,
  calendar: CalendarScreen,
  authorizations: AuthorizationsScreen,
  billing: BillingScreen,
  patients: PatientsScreen,
  credentialing: CredentialingScreen,
  intake: IntakeScreen,
  settings: SettingsScreen,
  audit: AuditScreen,
};
