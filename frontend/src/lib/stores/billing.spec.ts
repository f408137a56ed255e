import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import type { ClaimView, Dashboard } from '../api';
import { BillingStore, cents, lastWeek, money } from './billing.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

const view = (id: string, errors: number) => ({ claim: { id }, errors }) as unknown as ClaimView;

describe('BillingStore', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    vi.mocked(api.billingApi.unbilled).mockResolvedValue([]);
    vi.mocked(api.billingApi.claims).mockResolvedValue([]);
    vi.mocked(api.billingApi.dashboard).mockResolvedValue({} as Dashboard);
  });

  it('last week runs Monday to Sunday before the current week', () => {
    // Tuesday 9 March 2027 → Monday 1 to Sunday 7 March.
    expect(lastWeek('2027-03-09')).toEqual({ from: '2027-03-01', to: '2027-03-07' });
    // A Sunday belongs to its week (Mon 1 – Sun 7): last week is 22–28 February.
    expect(lastWeek('2027-03-07')).toEqual({ from: '2027-02-22', to: '2027-02-28' });
  });

  it('reads and writes money', () => {
    expect(money(123450)).toBe('$1,234.50');
    expect(money(-500)).toBe('-$5.00');
    expect(cents('$1,234.5')).toBe(123450);
    expect(cents('12.345')).toBeNaN();
  });

  it('makes a batch of the sessions shown and opens the first claim with errors', async () => {
    const s = new BillingStore();
    vi.mocked(api.billingApi.unbilled).mockResolvedValue([
      { appointmentId: 'a1', payerId: 'p1' },
      { appointmentId: 'a2', payerId: 'p2' },
      { appointmentId: 'a3', payerId: '' }, // self-pay: a superbill, not a claim
    ] as never);
    await s.load('2027-03-09');
    expect(vi.mocked(api.billingApi.unbilled)).toHaveBeenCalledWith('2027-03-01', '2027-03-07');
    vi.mocked(api.billingApi.createBatch).mockResolvedValue({ claims: [view('c1', 0), view('c2', 2)], skipped: [] });
    vi.mocked(api.billingApi.claim).mockResolvedValue(view('c2', 2));
    await expect(s.createBatch()).resolves.toBe(2);
    expect(vi.mocked(api.billingApi.createBatch)).toHaveBeenCalledWith(['a1', 'a2']);
    expect(s.open?.claim.id).toBe('c2');
  });
});
