import { render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { DATA_CHANGED_EVENT } from '../api/devices';
import { patient, record, status, summary } from '../../test/factories';
import PatientDetail from '../screens/patients/PatientDetail.svelte';
import PatientList from '../screens/patients/PatientList.svelte';
import { reloadChanged, startLiveReload, type Reloader } from './live';
import { resetStores } from './reset';
import { patients } from './patients.svelte';
import { session } from './session.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

/**
 * The Wails runtime's event bus as the generated bindings reach it
 * (window.runtime.EventsOnMultiple), so the test sends sync:data-changed the
 * way the Go side does rather than calling the registry directly.
 */
function fakeRuntime() {
  const handlers = new Map<string, Set<(data: unknown) => void>>();
  const runtime = {
    EventsOnMultiple: (name: string, fn: (data: unknown) => void) => {
      const set = handlers.get(name) ?? new Set();
      set.add(fn);
      handlers.set(name, set);
      return () => set.delete(fn);
    },
  };
  const emit = (name: string, data: unknown) => handlers.get(name)?.forEach((fn) => fn(data));
  return { runtime, emit, listening: (name: string) => handlers.get(name)?.size ?? 0 };
}

describe('another computer saves a patient', () => {
  let bus: ReturnType<typeof fakeRuntime>;
  let stop: () => void;

  beforeEach(() => {
    vi.clearAllMocks();
    resetStores();
    session.status = status();
    bus = fakeRuntime();
    (window as unknown as { runtime: unknown }).runtime = bus.runtime;
    vi.mocked(api.practiceApi.payers).mockResolvedValue([]);
    stop = startLiveReload();
  });

  afterEach(() => stop());

  it('reloads the patients list and the open patient detail', async () => {
    const before = patient({ id: 'pat-7', identity: { firstName: 'Avery', lastName: 'Lindqvist' } });
    const after = patient({ id: 'pat-7', identity: { firstName: 'Avery', lastName: 'Lindqvist-Moreau' } });
    vi.mocked(api.patients.search).mockResolvedValue({
      patients: [summary({ id: 'pat-7', firstName: 'Avery', lastName: 'Lindqvist' })],
      total: 1,
    });
    vi.mocked(api.patients.get).mockResolvedValue(record(before));

    patients.query = 'Lind'; // the list shows names once searched
    render(PatientList);
    render(PatientDetail, { id: 'pat-7' });
    const list = await screen.findByRole('table', { name: 'Patients' });
    expect(within(list).getByRole('link', { name: 'Lindqvist, Avery' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: /Avery Lindqvist/ })).toBeInTheDocument();
    expect(api.patients.search).toHaveBeenCalledTimes(1);
    expect(api.patients.get).toHaveBeenCalledTimes(1);

    // The other machine renamed the patient; its change arrives here.
    vi.mocked(api.patients.search).mockResolvedValue({
      patients: [summary({ id: 'pat-7', firstName: 'Avery', lastName: 'Lindqvist-Moreau' })],
      total: 1,
    });
    vi.mocked(api.patients.get).mockResolvedValue(record(after));
    bus.emit(DATA_CHANGED_EVENT, { tables: ['patients'] });

    expect(await within(list).findByRole('link', { name: 'Lindqvist-Moreau, Avery' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: /Avery Lindqvist-Moreau/ })).toBeInTheDocument();
    expect(api.patients.search).toHaveBeenCalledTimes(2);
    expect(api.patients.get).toHaveBeenCalledTimes(2);
    expect(api.patients.get).toHaveBeenLastCalledWith('pat-7');
    // Two screens rendered in jsdom: slow on a busy machine, not a hang.
  }, 20_000);

  it('leaves patients alone when only other tables changed', async () => {
    vi.mocked(api.patients.search).mockResolvedValue({ patients: [summary({ id: 'pat-7' })], total: 1 });
    patients.query = 'Lind';
    render(PatientList);
    await screen.findByRole('table', { name: 'Patients' });
    bus.emit(DATA_CHANGED_EVENT, { tables: ['payers', 'appointments'] });
    await Promise.resolve();
    expect(api.patients.search).toHaveBeenCalledTimes(1);
  });

  it('stops listening when stopped (signed out)', () => {
    expect(bus.listening(DATA_CHANGED_EVENT)).toBe(1);
    stop();
    expect(bus.listening(DATA_CHANGED_EVENT)).toBe(0);
  });
});

describe('reloadChanged', () => {
  it('runs each reloader whose tables changed once, with all the tables, and survives a failed one', async () => {
    const calls: string[] = [];
    const entry = (name: string, tables: string[], fail = false): Reloader => ({
      name,
      tables,
      reload: (t) => {
        calls.push(`${name}:${t.join('+')}`);
        return fail ? Promise.reject(new Error('offline')) : Promise.resolve();
      },
    });
    await reloadChanged(
      ['rooms', 'patients'],
      [
        entry('places', ['locations', 'rooms']),
        entry('patients', ['patients', 'policies'], true),
        entry('staff', ['accounts']),
        entry('both', ['rooms', 'patients']),
      ],
    );
    expect(calls).toEqual(['places:rooms+patients', 'patients:rooms+patients', 'both:rooms+patients']);
  });
});
