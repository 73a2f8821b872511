/**
 * Where a visit's scan falls against its window: the due date is the baseline scan date plus the
 * visit's offset; a scan within `windowDays` of it is in window, before it early, after it late.
 * A visit without a scan is 'missed' once its window has closed before `today`, else 'pending'.
 * Dates are ISO calendar dates (YYYY-MM-DD), compared as UTC days.
 *
 * @example classifyVisitWindow({ baselineOn: '2026-01-01', offsetDays: 56, windowDays: 7, scannedOn: '2026-03-06', today: '2026-04-01' }) // { dueOn: '2026-02-26', status: 'late', daysFromDue: 8 }
 */
export function classifyVisitWindow({
  baselineOn,
  offsetDays,
  windowDays,
  scannedOn,
  today,
}: {
  baselineOn: string;
  offsetDays: number;
  windowDays: number;
  scannedOn: string | null;
  today: string;
}): { dueOn: string; status: 'in_window' | 'early' | 'late' | 'missed' | 'pending'; daysFromDue: number | null } {
  const day = (iso: string) => {
    const t = Date.parse(`${iso}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(t)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${iso}`);
    return Math.round(t / 86_400_000);
  };
  const due = day(baselineOn) + offsetDays;
  const dueOn = new Date(due * 86_400_000).toISOString().slice(0, 10);
  if (scannedOn === null) return { dueOn, status: day(today) > due + windowDays ? 'missed' : 'pending', daysFromDue: null };
  const d = day(scannedOn) - due;
  return { dueOn, status: d < -windowDays ? 'early' : d > windowDays ? 'late' : 'in_window', daysFromDue: d };
}
