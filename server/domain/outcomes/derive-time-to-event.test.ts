import { describe, expect, it } from 'vitest';
import { deriveTimeToEvent } from './derive-time-to-event';

const contact = (visitDate: string, extra: { deathDate?: string; progressionDate?: string } = {}) => ({
  visitDate,
  deathDate: extra.deathDate ?? null,
  progressionDate: extra.progressionDate ?? null,
  progressionBasis: extra.progressionDate ? ('clinical' as const) : null,
});

describe('deriveTimeToEvent', () => {
  it('takes the earliest of progression and death for PFS and censors OS at the last contact', () => {
    const out = deriveTimeToEvent('2026-01-01', [contact('2026-04-01', { progressionDate: '2026-03-15' })], null);
    expect(out).toEqual({ pfs: { days: 73, event: 1 }, os: { days: 90, event: 0 }, lastContact: '2026-04-01', pfsEventBasis: 'clinical' });
  });

  it('counts a signed RANO progression as the event and as a contact', () => {
    const out = deriveTimeToEvent('2026-01-01', [contact('2026-02-01')], '2026-03-02');
    expect(out?.pfs).toEqual({ days: 60, event: 1 });
    expect(out?.os).toEqual({ days: 60, event: 0 });
    expect(out?.pfsEventBasis).toBe('rano');
  });

  it('leaves out dates before randomization: a progression on a pre-randomization scan is not an on-study event', () => {
    // A follow-up series scanned in March, recorded for a participant randomized in December.
    expect(deriveTimeToEvent('2026-12-02', [], '2026-03-02')).toBeNull();
    const out = deriveTimeToEvent('2026-12-02', [contact('2026-11-01', { deathDate: '2026-11-01' }), contact('2026-12-10')], '2026-03-02');
    expect(out).toEqual({ pfs: { days: 8, event: 0 }, os: { days: 8, event: 0 }, lastContact: '2026-12-10', pfsEventBasis: null });
  });

  it('is null without any follow-up', () => {
    expect(deriveTimeToEvent('2026-01-01', [], null)).toBeNull();
  });
});
