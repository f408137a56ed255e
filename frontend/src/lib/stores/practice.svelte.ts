import * as api from '../api';
import type { Clinician, Location, Payer, Room, Settings } from '../api';

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const copy = [...list];
  copy[i] = item;
  return copy;
}

/** Practice settings and reference data: locations, rooms, clinicians, payers. */
export class PracticeStore {
  settings = $state<Settings | null>(null);
  locations = $state<Location[]>([]);
  rooms = $state<Room[]>([]);
  clinicians = $state<Clinician[]>([]);
  payers = $state<Payer[]>([]);

  async loadSettings(): Promise<Settings> {
    const s = await api.practiceApi.settings();
    this.settings = s;
    return s;
  }

  async saveSettings(s: Settings): Promise<Settings> {
    const saved = await api.practiceApi.saveSettings(s);
    this.settings = saved;
    return saved;
  }

  async loadLocations(): Promise<void> {
    const [locations, rooms] = await Promise.all([api.practiceApi.locations(), api.practiceApi.rooms()]);
    this.locations = locations;
    this.rooms = rooms;
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

  async loadClinicians(): Promise<Clinician[]> {
    const list = await api.practiceApi.clinicians();
    this.clinicians = list;
    return list;
  }

  async saveClinician(c: Clinician): Promise<Clinician> {
    const saved = await api.practiceApi.saveClinician(c);
    this.clinicians = upsert(this.clinicians, saved);
    return saved;
  }

  async loadPayers(): Promise<Payer[]> {
    const list = await api.practiceApi.payers();
    this.payers = list;
    return list;
  }

  async savePayer(p: Payer): Promise<Payer> {
    const saved = await api.practiceApi.savePayer(p);
    this.payers = upsert(this.payers, saved);
    return saved;
  }

  roomsAt(locationId: string): Room[] {
    return this.rooms.filter((r) => r.locationId === locationId);
  }

  reset(): void {
    this.settings = null;
    this.locations = [];
    this.rooms = [];
    this.clinicians = [];
    this.payers = [];
  }
}

/** "anxiety, couples ,  " → ["anxiety", "couples"] */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export function joinList(list: readonly string[] | null | undefined): string {
  return (list ?? []).join(', ');
}

export const practiceStore = new PracticeStore();
