import { vi } from 'vitest';

/**
 * A stand-in for src/lib/api with every bound call of every area a vi.fn
 * (a new area module is mocked without touching this file). Use as
 *   vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig()))
 */
export function mockApi<T extends object>(actual: T): T {
  const out: Record<string, unknown> = {
    ...actual,
    onApiError: vi.fn(() => () => undefined),
    onSessionLocked: vi.fn(() => () => undefined),
  };
  for (const [name, value] of Object.entries(actual)) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const fns = Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'function');
    if (fns.length === 0) continue;
    out[name] = Object.fromEntries(fns.map(([k]) => [k, vi.fn()]));
  }
  return out as T;
}
