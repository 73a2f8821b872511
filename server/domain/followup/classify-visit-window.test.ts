import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { classifyVisitWindow } from './classify-visit-window';
import { DEFAULT_IMAGING_VISITS, imagingVisitSchedule } from './imaging-visit-schedule';

describe('classifyVisitWindow', () => {
  const base = { baselineOn: '2026-01-01', offsetDays: 56, windowDays: 7, today: '2026-06-01' };
  it('due date is baseline + offset; within ±window in window, else early or late', () => {
    expect(classifyVisitWindow({ ...base, scannedOn: '2026-02-26' })).toEqual({ dueOn: '2026-02-26', status: 'in_window', daysFromDue: 0 });
    expect(classifyVisitWindow({ ...base, scannedOn: '2026-03-05' }).status).toBe('in_window');
    expect(classifyVisitWindow({ ...base, scannedOn: '2026-03-06' })).toMatchObject({ status: 'late', daysFromDue: 8 });
    expect(classifyVisitWindow({ ...base, scannedOn: '2026-02-18' })).toMatchObject({ status: 'early', daysFromDue: -8 });
  });
  it('no scan: pending until the window closes, then missed', () => {
    expect(classifyVisitWindow({ ...base, scannedOn: null, today: '2026-03-05' }).status).toBe('pending');
    expect(classifyVisitWindow({ ...base, scannedOn: null, today: '2026-03-06' }).status).toBe('missed');
  });
  it('refuses a malformed date', () => {
    expect(() => classifyVisitWindow({ ...base, scannedOn: '2026-2-1' })).toThrow(/not a calendar date/);
  });
});

describe('imagingVisitSchedule', () => {
  it('defaults when the design has none, and checks one it has', () => {
    expect(imagingVisitSchedule({})).toBe(DEFAULT_IMAGING_VISITS);
    expect(
      imagingVisitSchedule({
        imagingVisits: [
          { code: 'baseline', label: 'B', offsetDays: 0, windowDays: 0 },
          { code: 'fu1', label: 'F', offsetDays: 84, windowDays: 14 },
        ],
      }),
    ).toHaveLength(2);
    expect(() =>
      imagingVisitSchedule({
        imagingVisits: [
          { code: 'baseline', label: 'B', offsetDays: 0, windowDays: 0 },
          { code: 'fu1', label: 'F', offsetDays: 0, windowDays: 1 },
        ],
      }),
    ).toThrow(AppError);
    expect(() => imagingVisitSchedule({ imagingVisits: [{ code: 'fu1', label: 'F', offsetDays: 10, windowDays: 1 }] })).toThrow(/baseline, offset 0/);
  });
});
