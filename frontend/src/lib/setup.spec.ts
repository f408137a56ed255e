import { beforeEach, describe, expect, it } from 'vitest';
import { account, calendarSetup, clinician, payer } from '../test/factories';
import { hideSetup, setupHidden, setupSteps, type SetupData } from './setup';

function newPractice(over: Partial<SetupData> = {}): SetupData {
  return {
    timezone: '',
    locations: [],
    rooms: [],
    clinicians: [],
    hours: [],
    types: [],
    accounts: [account({ id: 'owner' })],
    payers: [],
    ...over,
  };
}

const done = (d: SetupData) => Object.fromEntries(setupSteps(d).map((s) => [s.id, s.done]));

describe('setupSteps', () => {
  it('lists every step, none done, for a practice just created', () => {
    const steps = setupSteps(newPractice());
    expect(steps.map((s) => [s.id, s.tab, s.done])).toEqual([
      ['timezone', 'practice', false],
      ['locations', 'locations', false],
      ['clinicians', 'clinicians', false],
      ['hours', 'hours', false],
      ['types', 'types', false],
      ['staff', 'staff', false],
      ['payers', 'payers', false],
    ]);
  });

  it('marks a step done from the data, and says what is there', () => {
    const cal = calendarSetup();
    const d = newPractice({
      timezone: 'America/New_York',
      locations: cal.locations,
      rooms: cal.rooms,
      clinicians: [clinician({ id: 'c1' }), clinician({ id: 'c2' })],
      hours: [{ id: 'h1', clinicianId: 'c1', locationId: 'loc-1', weekday: 1, start: '09:00', end: '17:00' }],
      types: cal.types,
      accounts: [account({ id: 'owner' }), account({ id: 'fd' })],
      payers: [payer()],
    });
    const steps = setupSteps(d);
    expect(done(d)).toEqual({
      timezone: true,
      locations: true,
      clinicians: true,
      hours: false, // c2 has no hours yet
      types: true,
      staff: true,
      payers: true,
    });
    expect(steps.find((s) => s.id === 'timezone')?.detail).toBe('America/New York');
    expect(steps.find((s) => s.id === 'locations')?.detail).toBe('1 location, 1 room');
    expect(steps.find((s) => s.id === 'hours')?.detail).toBe('Not set for 1 clinician');
    expect(steps.find((s) => s.id === 'staff')?.detail).toBe('1 other person');
  });

  it('counts only what is in use', () => {
    const cal = calendarSetup();
    const d = newPractice({
      locations: cal.locations,
      rooms: [{ id: 'r', locationId: 'loc-1', name: 'Old', active: false }],
      clinicians: [clinician({ active: false })],
      accounts: [account({ id: 'owner' }), account({ id: 'gone', disabled: true })],
      payers: [payer({ active: false })],
    });
    expect(done(d)).toMatchObject({ locations: false, clinicians: false, hours: false, staff: false, payers: false });
  });

  it('leaves out steps whose data the account may not read', () => {
    const steps = setupSteps(newPractice({ accounts: null, payers: null }));
    expect(steps.map((s) => s.id)).toEqual(['timezone', 'locations', 'clinicians', 'hours', 'types']);
  });
});

describe('hideSetup', () => {
  beforeEach(() => localStorage.clear());

  it('remembers per practice on this computer', () => {
    expect(setupHidden('Maple')).toBe(false);
    hideSetup('Maple');
    expect(setupHidden('Maple')).toBe(true);
    expect(setupHidden('Cedar')).toBe(false);
    hideSetup('Maple', false);
    expect(setupHidden('Maple')).toBe(false);
  });
});
