// The owner's first-run checklist: each step is done or not from what the
// practice holds (never a stored flag), and names the Settings tab that does it.

import type { Account, AppointmentType, Clinician, Location, Payer, Room, WorkingHours } from './api';

/** What the checklist reads; a list the account may not read is null and its step is left out. */
export interface SetupData {
  timezone: string | null;
  locations: Location[] | null;
  rooms: Room[] | null;
  clinicians: Clinician[] | null;
  hours: WorkingHours[] | null;
  types: AppointmentType[] | null;
  accounts: Account[] | null;
  payers: Payer[] | null;
}

export interface SetupStep {
  id: string;
  title: string;
  /** What to do, or what is there once done. */
  detail: string;
  done: boolean;
  /** The Settings tab that does it: "#/settings/<tab>". */
  tab: string;
  action: string;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The steps an account with these lists sees, in the order an owner does them. */
export function setupSteps(d: SetupData): SetupStep[] {
  const steps: SetupStep[] = [];
  if (d.timezone !== null) {
    steps.push({
      id: 'timezone',
      title: 'Time zone',
      detail: d.timezone ? d.timezone.replaceAll('_', ' ') : 'Appointments and reminders use it.',
      done: d.timezone !== '',
      tab: 'practice',
      action: 'Choose the time zone',
    });
  }
  if (d.locations !== null && d.rooms !== null) {
    const places = d.locations.filter((l) => l.active);
    const rooms = d.rooms.filter((r) => r.active && places.some((l) => l.id === r.locationId));
    steps.push({
      id: 'locations',
      title: 'Locations and rooms',
      detail:
        places.length === 0
          ? 'Where sessions take place, and the rooms in each.'
          : `${count(places.length, 'location', 'locations')}, ${count(rooms.length, 'room', 'rooms')}`,
      done: rooms.length > 0,
      tab: 'locations',
      action: 'Add locations and rooms',
    });
  }
  const clinicians = d.clinicians?.filter((c) => c.active) ?? null;
  if (clinicians !== null) {
    steps.push({
      id: 'clinicians',
      title: 'Clinicians',
      detail: clinicians.length === 0 ? 'Who sees patients.' : count(clinicians.length, 'clinician', 'clinicians'),
      done: clinicians.length > 0,
      tab: 'clinicians',
      action: 'Add clinicians',
    });
  }
  if (clinicians !== null && d.hours !== null) {
    const hours = d.hours;
    const without = clinicians.filter((c) => !hours.some((h) => h.clinicianId === c.id));
    steps.push({
      id: 'hours',
      title: 'Working hours',
      detail:
        clinicians.length === 0
          ? 'Each clinician’s week, once clinicians are added.'
          : without.length === 0
            ? 'Set for every clinician'
            : `Not set for ${count(without.length, 'clinician', 'clinicians')}`,
      done: clinicians.length > 0 && without.length === 0,
      tab: 'hours',
      action: 'Set working hours',
    });
  }
  if (d.types !== null) {
    const types = d.types.filter((t) => t.active);
    steps.push({
      id: 'types',
      title: 'Appointment types',
      detail: types.length === 0 ? 'What can be booked, and for how long.' : count(types.length, 'type', 'types'),
      done: types.length > 0,
      tab: 'types',
      action: 'Add appointment types',
    });
  }
  if (d.accounts !== null) {
    const others = d.accounts.filter((a) => !a.disabled).length - 1;
    steps.push({
      id: 'staff',
      title: 'Staff accounts',
      detail:
        others <= 0 ? 'A sign-in for each person at the practice.' : `${count(others, 'other person', 'other people')}`,
      done: others > 0,
      tab: 'staff',
      action: 'Add staff accounts',
    });
  }
  if (d.payers !== null) {
    const payers = d.payers.filter((p) => p.active);
    steps.push({
      id: 'payers',
      title: 'Payers',
      detail:
        payers.length === 0 ? 'The insurers and EAPs the practice bills.' : count(payers.length, 'payer', 'payers'),
      done: payers.length > 0,
      tab: 'payers',
      action: 'Add payers',
    });
  }
  return steps;
}

const HIDDEN_KEY = 'quietdesk.setupHidden';

/** Whether the owner put the checklist away on this computer, for this practice. */
export function setupHidden(practice: string): boolean {
  return readHidden().includes(practice);
}

export function hideSetup(practice: string, hidden = true): void {
  const list = readHidden().filter((p) => p !== practice);
  if (hidden) list.push(practice);
  localStorage.setItem(HIDDEN_KEY, JSON.stringify(list));
}

function readHidden(): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(HIDDEN_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
