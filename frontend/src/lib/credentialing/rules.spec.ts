import { describe, expect, it } from 'vitest';
import type { CredentialingOverview, Deadline } from '../api';
import { bandLabel, credentialLabel, nextDeadline, overdueFollowUps, timelineWeeks, toCSV } from './rules';

function deadline(d: Partial<Deadline>): Deadline {
  return {
    key: 'k',
    clinicianId: 'ana',
    kind: 'licence',
    table: 'credentials',
    id: 'c1',
    payerId: '',
    assigneeId: '',
    due: '2027-03-05',
    daysLeft: 23,
    band: '30',
    ...d,
  };
}

function overview(deadlines: Deadline[]): CredentialingOverview {
  return {
    today: '2027-02-10',
    caqhDays: 120,
    settings: { caqhDays: 0, guardHard: false, expectedCents: {} },
    clinicians: [],
    payers: [],
    credentials: [],
    enrollments: [],
    deadlines,
    lapses: [],
  };
}

describe('credentialing rules for the screen', () => {
  it('names bands and credentials', () => {
    expect(bandLabel('30')).toBe('Within 30 days');
    expect(bandLabel('expired')).toBe('Expired');
    expect(bandLabel('')).toBe('Later');
    expect(credentialLabel({ kind: 'licence', state: 'OR', type: 'LCSW' })).toBe('OR LCSW licence');
    expect(credentialLabel({ kind: 'caqh', state: '', type: '' })).toBe('CAQH attestation');
  });

  it('buckets the timeline by week, the past into the first', () => {
    // 0 and -12 days: week 0; 7 days: week 1; 23 days: week 3; 200 days: the last week (18 for 120 days)
    const weeks = timelineWeeks([
      deadline({ daysLeft: 0 }),
      deadline({ daysLeft: -12, kind: 'caqh' }),
      deadline({ daysLeft: 7 }),
      deadline({ daysLeft: 23, kind: 'follow_up' }),
      deadline({ daysLeft: 200 }),
    ]);
    expect(weeks).toHaveLength(19);
    expect(weeks[0].counts).toEqual({ licence: 1, caqh: 1 });
    expect(weeks[1].counts).toEqual({ licence: 1 });
    expect(weeks[3].counts).toEqual({ follow_up: 1 });
    expect(weeks[18].counts).toEqual({ licence: 1 });
  });

  it('finds the next deadline of a matrix cell and the slipped follow-ups', () => {
    const o = overview([
      deadline({ key: 'later', band: '' }),
      deadline({ key: 'other payer', kind: 'follow_up', payerId: 'cigna', band: 'overdue', daysLeft: -2 }),
      deadline({ key: 'mine', kind: 'follow_up', payerId: 'aetna', band: 'due', daysLeft: 0 }),
    ]);
    expect(nextDeadline(o, 'ana', 'aetna')?.key).toBe('mine');
    expect(nextDeadline(o, 'ben', 'aetna')).toBeUndefined();
    expect(overdueFollowUps(o).map((d) => d.key)).toEqual(['other payer', 'mine']);
  });

  it('writes CSV with quoting', () => {
    expect(
      toCSV(
        ['a', 'b'],
        [
          ['x, y', 'say "hi"'],
          [1, 2],
        ],
      ),
    ).toBe('a,b\r\n"x, y","say ""hi"""\r\n1,2\r\n');
  });
});
