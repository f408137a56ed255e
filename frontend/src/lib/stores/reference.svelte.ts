import * as api from '../api';
import type { Clinician, Location, Payer, Room } from '../api';

/** The reference lists one store owns; a list not loaded yet is not reloaded when it changes elsewhere. */
type List = 'places' | 'clinicians' | 'payers';

/** The tables behind each list, as named in the sync:data-changed event. */
export const REFERENCE_TABLES: Record<List, readonly string[]> = {
  places: ['locations', 'rooms'],
  clinicians: ['clinicians'],
  payers: ['payers'],
};

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const copy = [...list];
  copy[i] = item;
  return copy;
}

/**
 * The practice's reference data: locations, rooms, clinicians and payers.
 * The only cache of them: settings tabs, the calendar, patient policies and
 * the conflicts screen all read and save through it, so a change made on one
 * screen (or on another office computer) shows everywhere.
 */
export class ReferenceStore {
  locations = $state<Location[]>([]);
  rooms = $state<Room[]>([]);
  clinicians = $state<Clinician[]>([]);
  payers = $state<Payer[]>([]);
  /** Which lists a screen has loaded (not reactive: only refresh reads it). */
  private loaded: Partial<Record<List, true>> = {};

  get activeLocations(): Location[] {
    return this.locations.filter((l) => l.active);
  }

  get activeClinicians(): Clinician[] {
    return this.clinicians.filter((c) => c.active);
  }

  async loadLocations(): Promise<void> {
    const [locations, rooms] = await Promise.all([api.practiceApi.locations(), api.practiceApi.rooms()]);
    this.locations = locations;
    this.rooms = rooms;
    this.loaded.places = true;
  }

  async loadClinicians(): Promise<Clinician[]> {
    this.clinicians = await api.practiceApi.clinicians();
    this.loaded.clinicians = true;
    return this.clinicians;
  }

  async loadPayers(): Promise<Payer[]> {
    this.payers = await api.practiceApi.payers();
    this.loaded.payers = true;
    return this.payers;
  }

  /** Takes the lists that arrived with another answer (the calendar's setup) instead of asking again. */
  adopt(lists: { clinicians: Clinician[] | null; locations: Location[] | null; rooms: Room[] | null }): void {
    this.clinicians = lists.clinicians ?? [];
    this.locations = lists.locations ?? [];
    this.rooms = lists.rooms ?? [];
    this.loaded.clinicians = this.loaded.places = true;
  }

  async saveLocation(l: Location): Promise<Location> {
    const saved = await api.practiceApi.saveLocation(l);
    this.locations = upsert(this.locations, saved);
    return saved;
  }

  async saveRoom(r: Room): Promise<Room> {
    const saved = await api.practiceApi.saveRoom(r);
    this.rooms = upsert(this.rooms, saved);
    return saved;
  }

  async saveClinician(c: Clinician): Promise<Clinician> {
    const saved = await api.practiceApi.saveClinician(c);
    this.clinicians = upsert(this.clinicians, saved);
    return saved;
  }

  async savePayer(p: Payer): Promise<Payer> {
    const saved = await api.practiceApi.savePayer(p);
    this.payers = upsert(this.payers, saved);
    return saved;
  }

  /** Reloads the loaded lists stored in any of the changed tables. */
  async refresh(tables: readonly string[]): Promise<void> {
    const stale = (list: List) => this.loaded[list] && REFERENCE_TABLES[list].some((t) => tables.includes(t));
    await Promise.all([
      stale('places') ? this.loadLocations() : null,
      stale('clinicians') ? this.loadClinicians() : null,
      stale('payers') ? this.loadPayers() : null,
    ]);
  }

  roomsAt(locationId: string): Room[] {
    return this.rooms.filter((r) => r.locationId === locationId);
  }

  clinician(id: string): Clinician | undefined {
    return this.clinicians.find((c) => c.id === id);
  }

  locationName(id: string): string {
    return this.locations.find((l) => l.id === id)?.name ?? '';
  }

  roomName(id: string): string {
    return this.rooms.find((r) => r.id === id)?.name ?? '';
  }

  payerName(id: string): string {
    return this.payers.find((p) => p.id === id)?.name ?? 'Unknown payer';
  }

  reset(): void {
    this.locations = [];
    this.rooms = [];
    this.clinicians = [];
    this.payers = [];
    this.loaded = {};
  }
}

export const reference = new ReferenceStore();
