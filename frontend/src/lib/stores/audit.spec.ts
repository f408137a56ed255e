import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { auditRow } from '../../test/factories';
import { AuditStore } from './audit.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('AuditStore', () => {
  beforeEach(() => vi.clearAllMocks());

  it('queries with the filter', async () => {
    const s = new AuditStore();
    s.filter.recordId = '  pat-9 ';
    vi.mocked(api.audit.query).mockResolvedValue([auditRow({ recordId: 'pat-9' })]);
    await s.query();
    expect(vi.mocked(api.audit.query).mock.calls[0][0]).toMatchObject({ recordId: 'pat-9', limit: 500 });
    expect(s.rows).toHaveLength(1);
    expect(s.loaded).toBe(true);
  });

  it('exports everything matching and verifies', async () => {
    const s = new AuditStore();
    vi.mocked(api.audit.export).mockResolvedValue('/tmp/audit.csv');
    await expect(s.exportCsv()).resolves.toBe('/tmp/audit.csv');
    expect(vi.mocked(api.audit.export).mock.calls[0][0].limit).toBe(0);
    vi.mocked(api.audit.verify).mockResolvedValue({ ok: true, entries: 12, problem: '' });
    await s.verify();
    expect(s.check?.ok).toBe(true);
  });
});
