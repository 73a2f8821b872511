/**
 * The level of an age-band factor that contains `age`, for levels written "<50", "<=49", "50-64",
 * ">=65" or ">64"; null when no level (or more than one) parses to contain it, so the coordinator
 * picks by hand.
 *
 * @example levelForAge(['<50', '50-64', '>=65'], 64) // '50-64'
 */
export function levelForAge(levels: readonly string[], age: number): string | null {
  if (!Number.isFinite(age)) return null;
  const contains = (level: string): boolean => {
    const s = level.replace(/\s+/g, '');
    let m: RegExpMatchArray | null;
    if ((m = s.match(/^<(\d+)$/))) return age < Number(m[1]);
    if ((m = s.match(/^<=(\d+)$/))) return age <= Number(m[1]);
    if ((m = s.match(/^>(\d+)$/))) return age > Number(m[1]);
    if ((m = s.match(/^>=(\d+)$/))) return age >= Number(m[1]);
    if ((m = s.match(/^(\d+)-(\d+)$/))) return age >= Number(m[1]) && age <= Number(m[2]);
    return false;
  };
  const hits = levels.filter(contains);
  return hits.length === 1 ? hits[0]! : null;
}
