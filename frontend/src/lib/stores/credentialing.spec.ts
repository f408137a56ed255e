import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import type { CredentialingOverview } from '../api';
import { CredentialingStore } from './credentialing.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

function overview(): CredentialingOverview {
  return {
    today: '2027-02-10',
    caqhDays: 120,
    // Go sends a nil map as null.
    settings: { caqhDays: 0, guardHard: false, expectedCents: null as unknown as Record<string, number> },
    clinicians: [
      {
        id: 'ana',
        firstName: 'Ana',
        lastName: 'Ruiz',
        credentials: '',
        npi: '',
        taxonomy: '',
        specialties: [],
        languages: [],
        email: '',
        phone: '',
        videoLink: '',
        prescriber: false,
        acceptingNew: true,
        active: true,
      },
    ],
    payers: [{ id: 'aetna', name: 'Aetna', payerId: '', kind: 'insurance', active: true }],
    credentials: [],
    enrollments: [],
    deadlines: [],
    lapses: [],
  };
}

describe('CredentialingStore', () => {
  beforeEach(() => vi.clearAllMocks());

  it('loads the overview and names clinicians and payers', async () => {
    vi.mocked(api.credentialingApi.overview).mockResolvedValue(overview());
    const s = new CredentialingStore();
    await s.refresh();
    expect(api.credentialingApi.overview).not.toHaveBeenCalled(); // never opened: nothing to reload
    await s.load();
    expect(s.overview?.settings.expectedCents).toEqual({});
    expect(s.clinicianName('ana')).toBe('Ana Ruiz');
    expect(s.payerName('aetna')).toBe('Aetna');
  });

  it('reloads after recording an enrollment', async () => {
    vi.mocked(api.credentialingApi.overview).mockResolvedValue(overview());
    vi.mocked(api.credentialingApi.recordEnrollment).mockImplementation((ch) => Promise.resolve(ch.enrollment));
    const s = new CredentialingStore();
    await s.load();
    await s.recordEnrollment({
      enrollment: {
        id: '',
        clinicianId: 'ana',
        payerId: 'aetna',
        status: 'approved',
        effectiveOn: '2027-03-01',
        followUpOn: '',
        assigneeId: '',
        providerId: '',
        contractId: '',
        reference: '',
        contact: '',
      },
      note: 'Approved',
    });
    expect(api.credentialingApi.overview).toHaveBeenCalledTimes(2);
  });
});
