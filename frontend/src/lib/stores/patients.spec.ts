import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { patient, policy, record, summary } from '../../test/factories';
import { emptyPatient, emptyPolicy, PatientsStore, SEARCH_DEBOUNCE_MS, summaryOf } from './patients.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('PatientsStore', () => {
  let s: PatientsStore;
  beforeEach(() => {
    vi.clearAllMocks();
    s = new PatientsStore();
  });
  afterEach(() => vi.useRealTimers());

  it('debounces typing into one search', async () => {
    vi.useFakeTimers();
    vi.mocked(api.patients.search).mockResolvedValue({ patients: [summary({ firstName: 'Ana' })], total: 1 });
    s.setQuery('a');
    s.setQuery('an');
    s.setQuery('ana ');
    expect(api.patients.search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);
    expect(api.patients.search).toHaveBeenCalledTimes(1);
    expect(api.patients.search).toHaveBeenCalledWith('ana');
    expect(s.results[0].firstName).toBe('Ana');
    expect(s.total).toBe(1);
    expect(s.searched).toBe(true);
  });

  it('ignores an older answer that arrives after a newer one', async () => {
    let resolveOld: (v: { patients: api.PatientSummary[]; total: number }) => void = () => undefined;
    vi.mocked(api.patients.search)
      .mockImplementationOnce(() => new Promise((r) => (resolveOld = r)))
      .mockResolvedValueOnce({ patients: [summary({ firstName: 'New' })], total: 1 });
    s.query = 'o';
    const old = s.search();
    s.query = 'n';
    await s.search();
    resolveOld({ patients: [summary({ firstName: 'Old' })], total: 1 });
    await old;
    expect(s.results.map((r) => r.firstName)).toEqual(['New']);
    expect(s.searching).toBe(false);
  });

  it('opens, creates and updates a patient, refreshing the row in the results', async () => {
    const p = patient();
    s.results = [summaryOf(p)];
    vi.mocked(api.patients.get).mockResolvedValue(record(p));
    await s.open(p.id);
    expect(s.current?.patient.id).toBe(p.id);

    const changed = { ...p, contact: { ...p.contact, phone: '555-0199' } };
    vi.mocked(api.patients.update).mockResolvedValue(record(changed));
    await s.update(changed);
    expect(s.results[0].phone).toBe('555-0199');

    const q = patient({ identity: { firstName: 'Quinn' } });
    vi.mocked(api.patients.create).mockResolvedValue(record(q));
    const rec = await s.create(emptyPatient());
    expect(rec.patient.identity.firstName).toBe('Quinn');
    expect(s.current?.patient.id).toBe(q.id);
  });

  it('saves and deletes policies through the record', async () => {
    const p = patient();
    const pol = policy({ patientId: p.id });
    vi.mocked(api.patients.savePolicy).mockResolvedValue(record(p, [pol]));
    await s.savePolicy(emptyPolicy(p.id));
    expect(s.current?.policies).toHaveLength(1);
    vi.mocked(api.patients.deletePolicy).mockResolvedValue(record(p, []));
    await s.deletePolicy(p.id, pol.id);
    expect(api.patients.deletePolicy).toHaveBeenCalledWith(p.id, pol.id);
    expect(s.current?.policies).toHaveLength(0);
  });

  it("keeps the open record's appointments only: an answer for a record left meanwhile is dropped", async () => {
    const a = patient({ id: 'pa' });
    const b = patient({ id: 'pb' });
    const visits = (fee: number) => ({ upcoming: [], past: [], feeCents: fee });
    let answerA: (v: api.PatientVisits) => void = () => undefined;
    vi.mocked(api.calendarApi.patientAppointments)
      .mockImplementationOnce(() => new Promise((r) => (answerA = r)))
      .mockResolvedValueOnce(visits(7500));
    vi.mocked(api.patients.get).mockResolvedValueOnce(record(a)).mockResolvedValueOnce(record(b));
    await s.open(a.id);
    const slow = s.loadVisits(a.id);
    await s.open(b.id);
    expect(s.visits).toBeNull(); // nothing of A's shows on B's record
    await s.loadVisits(b.id);
    answerA(visits(2500));
    await slow;
    expect(s.visits?.feeCents).toBe(7500);
  });

  it('forgets everything on reset', () => {
    s.query = 'x';
    s.results = [summary()];
    s.current = record();
    s.visits = { upcoming: [], past: [], feeCents: 7500 };
    s.reset();
    expect(s.query).toBe('');
    expect(s.results).toEqual([]);
    expect(s.current).toBeNull();
    expect(s.visits).toBeNull();
  });
});
