// Plain data shapes of the bound Go structs for practice settings and reference data (app/practice.go, internal/practice/types.go).
// The api layer checks them against the generated wailsjs/go/models.ts classes, so a
// change on the Go side that breaks these shapes fails `npm run check`.

import type { CalendarPolicy } from './calendar.types';
import type { Address } from './shared.types';

export interface Settings {
  name: string;
  taxId: string;
  npi: string;
  phone: string;
  address: Address;
  timezone: string;
  lockMinutes: number;
  policy: CalendarPolicy;
  /** Clinicians may open every patient's record; off: only patients on their own schedule. */
  cliniciansSeeAllPatients: boolean;
  /** The appointment type a new booking starts with; "" the first active one. */
  defaultTypeId: string;
  /** How times of day are written everywhere: "12h" (9:00 AM) or "24h" (09:00); "" reads as 12-hour. */
  clock: string;
  /** Mark today's appointment checked in when the patient's intake packet for it arrives. */
  checkInOnIntake: boolean;
}

export interface Location {
  id: string;
  name: string;
  phone: string;
  address: Address;
  active: boolean;
}

export interface Room {
  id: string;
  locationId: string;
  name: string;
  active: boolean;
}

export interface Clinician {
  id: string;
  firstName: string;
  lastName: string;
  credentials: string;
  npi: string;
  taxonomy: string;
  specialties: string[] | null;
  languages: string[] | null;
  email: string;
  phone: string;
  /** The clinician's standing telehealth room, used when an appointment has none of its own. */
  videoLink: string;
  prescriber: boolean;
  acceptingNew: boolean;
  active: boolean;
}

export type PayerKind = 'insurance' | 'eap';

export interface Payer {
  id: string;
  name: string;
  payerId: string;
  /** A PayerKind. */
  kind: string;
  active: boolean;
}
