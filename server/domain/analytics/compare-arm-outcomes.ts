import { compareArms } from '@/analysis/compare-arms';
import { need, section } from './analytics-section';
import { ARM_OUTCOMES } from './arm-outcomes';
import type { SectionContext } from './section-context';

/**
 * Arm A against arm B on each binary outcome (ARM_OUTCOMES): complete cases of the ITT population,
 * crude and stratified by the randomization stratum (Mantel–Haenszel), with the per-protocol and the
 * two extreme-case imputations as supportive risk differences.
 */
export function compareArmOutcomes({ dataset: { rows }, armA, armB, label }: SectionContext) {
  return ARM_OUTCOMES.map((o) => {
    const values = rows.map(o.value);
    return {
      outcome: o.key,
      label: o.label,
      result: section(() => {
        const count = (arm: string) => {
          const v = rows.map((r, i) => (r.arm === arm ? values[i] : null)).filter((x): x is number => x !== null && x !== undefined);
          return { events: v.reduce((s, x) => s + x, 0), n: v.length };
        };
        const a = count(armA);
        const b = count(armB);
        need(a.n > 0 && b.n > 0, `no ${o.key} recorded in ${a.n === 0 ? label(armA) : label(armB)}`);
        const strataKeys = [...new Set(rows.map((r) => r.stratum))].sort();
        const strata = strataKeys
          .map((key) => {
            const inStratum = (arm: string) => {
              const v = rows.map((r, i) => (r.arm === arm && r.stratum === key ? values[i] : null)).filter((x): x is number => x !== null && x !== undefined);
              return { events: v.reduce((s, x) => s + x, 0), n: v.length };
            };
            const sa = inStratum(armA);
            const sb = inStratum(armB);
            return { stratum: key, eventsA: sa.events, nA: sa.n, eventsB: sb.events, nB: sb.n };
          })
          // Strata with one arm empty carry no information for Mantel–Haenszel.
          .filter((s) => s.nA > 0 && s.nB > 0);
        const sum = (k: 'eventsA' | 'nA' | 'eventsB' | 'nB') => strata.reduce((acc, s) => acc + s[k], 0);
        const stratified = strata.length > 0 ? compareArms({ eventsA: sum('eventsA'), nA: sum('nA'), eventsB: sum('eventsB'), nB: sum('nB') }, { strata }) : null;
        // Supportive populations: per protocol (no withdrawal, no protocol deviation; complete cases),
        // and the whole ITT population with missing outcomes set to the extremes (arm A all 0 and
        // arm B all 1, then the reverse): the risk difference of any imputation lies between them.
        const perProtocol = (arm: string) => {
          const v = rows.map((r, i) => (r.arm === arm && !r.withdrawn && !r.protocolDeviation ? values[i] : null)).filter((x): x is number => x !== null && x !== undefined);
          return { events: v.reduce((s, x) => s + x, 0), n: v.length };
        };
        const randomizedIn = (arm: string) => rows.filter((r) => r.arm === arm).length;
        const ppA = perProtocol(armA);
        const ppB = perProtocol(armB);
        const missingA = randomizedIn(armA) - a.n;
        const missingB = randomizedIn(armB) - b.n;
        const extreme = (aFill: 0 | 1) => compareArms({ eventsA: a.events + aFill * missingA, nA: a.n + missingA, eventsB: b.events + (1 - aFill) * missingB, nB: b.n + missingB });
        const riskDifference = (c: ReturnType<typeof compareArms>) => c.estimates.find((e) => e.measure === 'risk difference' && e.method.startsWith('Newcombe')) ?? null;
        return {
          population: `Complete cases of the intention-to-treat population: randomized participants with ${o.key} recorded (${a.n + b.n} of ${randomizedIn(armA) + randomizedIn(armB)}; ${missingA + missingB} missing)`,
          missing: { armA: missingA, armB: missingB },
          supportive: [
            {
              population: `Per protocol: no withdrawal or protocol deviation, outcome recorded (${ppA.n + ppB.n})`,
              riskDifference: section(() => riskDifference(compareArms({ eventsA: ppA.events, nA: ppA.n, eventsB: ppB.events, nB: ppB.n }))),
            },
            { population: `ITT, missing outcomes imputed as 0 in ${label(armA)} and 1 in ${label(armB)} (extreme case)`, riskDifference: section(() => riskDifference(extreme(0))) },
            { population: `ITT, missing outcomes imputed as 1 in ${label(armA)} and 0 in ${label(armB)} (extreme case)`, riskDifference: section(() => riskDifference(extreme(1))) },
          ],
          armA: { key: armA, label: label(armA), ...a },
          armB: { key: armB, label: label(armB), ...b },
          crude: compareArms({ eventsA: a.events, nA: a.n, eventsB: b.events, nB: b.n }),
          stratified: stratified ? { strata, comparison: stratified, patients: sum('nA') + sum('nB') } : null,
        };
      }),
    };
  });
}
