// Practice settings and reference data: locations, rooms, clinicians, payers (app/practice.go).

import * as PracticeFn from '../../../wailsjs/go/app/Practice';
import { practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { Clinician, Location, Payer, Room, Settings } from './practice.types';

export const practiceApi = {
  settings: (): Promise<Settings> => call(() => PracticeFn.Settings()),
  saveSettings: (s: Settings): Promise<Settings> => call(() => PracticeFn.SaveSettings(toGo(practice.Settings, s))),
  locations: async (): Promise<Location[]> => list<Location>(await call(() => PracticeFn.Locations())),
  saveLocation: (l: Location): Promise<Location> => call(() => PracticeFn.SaveLocation(toGo(practice.Location, l))),
  rooms: async (): Promise<Room[]> => list<Room>(await call(() => PracticeFn.Rooms())),
  saveRoom: (r: Room): Promise<Room> => call(() => PracticeFn.SaveRoom(toGo(practice.Room, r))),
  clinicians: async (): Promise<Clinician[]> => list<Clinician>(await call(() => PracticeFn.Clinicians())),
  saveClinician: (c: Clinician): Promise<Clinician> =>
    call(() => PracticeFn.SaveClinician(toGo(practice.Clinician, c))),
  payers: async (): Promise<Payer[]> => list<Payer>(await call(() => PracticeFn.Payers())),
  savePayer: (p: Payer): Promise<Payer> => call(() => PracticeFn.SavePayer(toGo(practice.Payer, p))),
};
