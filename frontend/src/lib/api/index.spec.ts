import { afterEach, describe, expect, it, vi } from 'vitest';
import { rejection } from '../../test/factories';

vi.mock('../../../wailsjs/go/app/Session', () => ({
  Login: vi.fn(),
  Status: vi.fn(),
}));
vi.mock('../../../wailsjs/go/app/Patients', () => ({ Search: vi.fn(), Create: vi.fn() }));

const Session = await import('../../../wailsjs/go/app/Session');
const Patients = await import('../../../wailsjs/go/app/Patients');
const api = await import('./index');

describe('api layer', () => {
  afterEach(() => vi.clearAllMocks());

  it('turns a rejection into an ApiError and tells listeners', async () => {
    vi.mocked(Session.Login).mockRejectedValue(rejection('wrong_password', 'Wrong password.'));
    const seen: string[] = [];
    const off = api.onApiError((e) => seen.push(e.code));
    await expect(api.session.login('dana', 'x')).rejects.toMatchObject({
      name: 'ApiError',
      code: 'wrong_password',
      message: 'Wrong password.',
    });
    off();
    await expect(api.session.login('dana', 'x')).rejects.toBeInstanceOf(api.ApiError);
    expect(seen).toEqual(['wrong_password']);
  });

  it('turns a null list into an empty one', async () => {
    vi.mocked(Patients.Search).mockResolvedValue({ patients: null, total: 0 } as never);
    await expect(api.patients.search('')).resolves.toEqual({ patients: [], total: 0 });
  });

  it('passes plain data to the bindings as generated model instances', async () => {
    const { patient, record } = await import('../../test/factories');
    const p = patient();
    vi.mocked(Patients.Create).mockResolvedValue(record(p) as never);
    await api.patients.create(p);
    const arg = vi.mocked(Patients.Create).mock.calls[0][0];
    expect(arg.identity.firstName).toBe(p.identity.firstName);
    expect(arg.contact.address.zip).toBe(p.contact.address.zip);
  });
});
