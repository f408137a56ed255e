import * as api from '../api';
import type { ClinicianMatch, Need, WaitlistEntry, WaitlistItem } from '../api';
import { ZERO_TIME } from '../calendar/zone';

export const PRIORITY_LABELS: Record<number, string> = { 1: 'Urgent', 2: 'Soon', 3: 'Routine' };

export function emptyWaitlistEntry(): WaitlistEntry {
  return {
    id: '',
    patientId: '',
    name: '',
    phone: '',
    clinicianIds: [],
    specialty: '',
    language: '',
    weekdays: [],
    earliestTime: '',
    latestTime: '',
    payerId: '',
    telehealth: 'any',
    priority: 3,
    notes: '',
    status: 'open',
    added: ZERO_TIME,
  };
}

/** The open waitlist and the "match a new patient" search. */
export class WaitlistStore {
  items = $state<WaitlistItem[]>([]);
  loaded = $state(false);

  async load(): Promise<void> {
    this.items = await api.calendarApi.waitlist();
    this.loaded = true;
  }

  /** Reloads the list if a screen has loaded it. */
  async refresh(): Promise<void> {
    if (this.loaded) await this.load();
  }

  /** Adds or updates an entry; entries no longer open (booked, removed) leave the list. */
  async save(e: WaitlistEntry): Promise<WaitlistItem> {
    const saved = await api.calendarApi.saveWaitlist(e);
    const rest = this.items.filter((i) => i.entry.id !== saved.entry.id);
    this.items = saved.entry.status === 'open' ? sortByPriority([...rest, saved]) : rest;
    return saved;
  }

  /** Marks an entry booked (after its slot was offered and taken). */
  markBooked(e: WaitlistEntry): Promise<WaitlistItem> {
    return this.save({ ...e, status: 'booked' });
  }

  remove(e: WaitlistEntry): Promise<WaitlistItem> {
    return this.save({ ...e, status: 'removed' });
  }

  match(need: Need, locationId: string, durationMin: number): Promise<ClinicianMatch[]> {
    return api.calendarApi.matchClinicians(need, locationId, durationMin);
  }

  reset(): void {
    this.items = [];
    this.loaded = false;
  }
}

function sortByPriority(list: WaitlistItem[]): WaitlistItem[] {
  return [...list].sort((a, b) => a.entry.priority - b.entry.priority || a.entry.added.localeCompare(b.entry.added));
}

export const waitlistStore = new WaitlistStore();
