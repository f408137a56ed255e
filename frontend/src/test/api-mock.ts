import { vi } from 'vitest';

/**
 * A stand-in for src/lib/api with every bound call a vi.fn. Use as
 *   vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig()))
 */
export function mockApi<T extends object>(actual: T) {
  return {
    ...actual,
    onApiError: vi.fn(() => () => undefined),
    onSessionLocked: vi.fn(() => () => undefined),
    session: {
      status: vi.fn(),
      checkPassword: vi.fn(),
      createPractice: vi.fn(),
      openDemo: vi.fn(),
      login: vi.fn(),
      logout: vi.fn(),
      lock: vi.fn(),
      active: vi.fn(),
      unlock: vi.fn(),
      recover: vi.fn(),
      changePassword: vi.fn(),
      newRecoveryKey: vi.fn(),
      saveRecoveryKit: vi.fn(),
    },
    patients: {
      search: vi.fn(),
      get: vi.fn(),
      create: vi.fn(),
      update: vi.fn(),
      savePolicy: vi.fn(),
      deletePolicy: vi.fn(),
    },
    practiceApi: {
      settings: vi.fn(),
      saveSettings: vi.fn(),
      locations: vi.fn(),
      saveLocation: vi.fn(),
      rooms: vi.fn(),
      saveRoom: vi.fn(),
      clinicians: vi.fn(),
      saveClinician: vi.fn(),
      payers: vi.fn(),
      savePayer: vi.fn(),
    },
    staff: { accounts: vi.fn(), create: vi.fn(), update: vi.fn(), resetPassword: vi.fn() },
    audit: { query: vi.fn(), export: vi.fn(), verify: vi.fn() },
    calendarApi: {
      setup: vi.fn(),
      range: vi.fn(),
      appointment: vi.fn(),
      checkBooking: vi.fn(),
      book: vi.fn(),
      checkMove: vi.fn(),
      move: vi.fn(),
      setStatus: vi.fn(),
      firstAvailable: vi.fn(),
      matchClinicians: vi.fn(),
      saveType: vi.fn(),
      setHours: vi.fn(),
      timeOff: vi.fn(),
      saveTimeOff: vi.fn(),
      deleteTimeOff: vi.fn(),
      waitlist: vi.fn(),
      saveWaitlist: vi.fn(),
      exportFeed: vi.fn(),
      printDay: vi.fn(),
    },
  };
}
