import { auditStore } from './audit.svelte';
import { devicesStore } from './devices.svelte';
import { intakeStore } from './intake.svelte';
import { calendarStore } from './calendar.svelte';
import { billingStore } from './billing.svelte';
import { credentialingStore } from './credentialing.svelte';
import { patients } from './patients.svelte';
import { practiceStore } from './practice.svelte';
import { reference } from './reference.svelte';
import { setupStore } from './setup.svelte';
import { staffStore } from './staff.svelte';
import { waitlistStore } from './waitlist.svelte';

/** Forgets everything loaded for the signed-in account (on log out). */
export function resetStores(): void {
  patients.reset();
  practiceStore.reset();
  reference.reset();
  staffStore.reset();
  auditStore.reset();
  devicesStore.reset();
  calendarStore.reset();
  waitlistStore.reset();
  credentialingStore.reset();
  billingStore.reset();
  intakeStore.reset();
  setupStore.reset();
}
