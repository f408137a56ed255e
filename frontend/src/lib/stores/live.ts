// Keeps every screen current when another office computer saves: the
// sync:data-changed event names the tables its changes touched, and this
// registry maps each table to the stores that reload what they show of it.
// A store reloads only what it has loaded (an unopened screen costs nothing).
// A new area adds its row here.

import { onDataChanged } from '../api/devices';
import { calendarStore, RANGE_TABLES, SETUP_TABLES } from './calendar.svelte';
import { BILLING_TABLES, billingStore } from './billing.svelte';
import { CREDENTIALING_TABLES, credentialingStore } from './credentialing.svelte';
import { intakeStore } from './intake.svelte';
import { patients } from './patients.svelte';
import { practiceStore } from './practice.svelte';
import { reference, REFERENCE_TABLES } from './reference.svelte';
import { staffStore } from './staff.svelte';
import { waitlistStore } from './waitlist.svelte';

export interface Reloader {
  /** What the entry reloads, for messages and tests. */
  name: string;
  /** The tables (as the event names them) whose changes make it reload. */
  tables: readonly string[];
  /** Reloads; it is given all the changed tables, to pick what to reload. */
  reload: (tables: readonly string[]) => Promise<unknown>;
}

export const RELOADERS: readonly Reloader[] = [
  { name: 'patients', tables: ['patients', 'policies'], reload: () => patients.refresh() },
  { name: "a patient's appointments", tables: ['appointments'], reload: () => patients.refreshVisits() },
  {
    name: 'reference data',
    tables: Object.values(REFERENCE_TABLES).flat(),
    reload: (t) => reference.refresh(t),
  },
  { name: 'calendar', tables: [...RANGE_TABLES, ...SETUP_TABLES], reload: (t) => calendarStore.refresh(t) },
  { name: 'waitlist', tables: ['waitlist', 'patients'], reload: () => waitlistStore.refresh() },
  { name: 'staff accounts', tables: ['accounts'], reload: () => staffStore.refresh() },
  { name: 'practice settings', tables: ['settings'], reload: () => practiceStore.refresh() },
  { name: 'credentialing', tables: CREDENTIALING_TABLES, reload: () => credentialingStore.refresh() },
  {
    name: 'billing',
    tables: BILLING_TABLES,
    reload: () => (billingStore.loaded ? billingStore.refresh() : Promise.resolve()),
  },
  { name: 'intake', tables: ['intake_submissions'], reload: () => intakeStore.refresh() },
];

/**
 * Runs every reloader whose tables changed, at the same time. A failed reload
 * is left for the next change or the next visit: the screen keeps what it shows.
 */
export async function reloadChanged(tables: readonly string[], reloaders = RELOADERS): Promise<void> {
  const due = reloaders.filter((r) => r.tables.some((t) => tables.includes(t)));
  await Promise.all(due.map((r) => r.reload(tables).catch(() => undefined)));
}

/** Listens for other computers' changes while someone is signed in; returns the function that stops it. */
export function startLiveReload(): () => void {
  return onDataChanged((tables) => void reloadChanged(tables));
}
