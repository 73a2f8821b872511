import { armSubgroupInteraction } from '@/analysis/arm-subgroup-interaction';
import { compareArms } from '@/analysis/compare-arms';
import { AnalysisInputError } from '@/analysis/errors';
import type { AnalysisRow } from './analysis-dataset';

type Available<T> = { readonly available: true; readonly value: T } | { readonly available: false; readonly reason: string };

function attempt<T>(compute: () => T): Available<T> {
  try {
    return { available: true, value: compute() };
  } catch (error) {
    if (error instanceof AnalysisInputError) return { available: false, reason: `${error.code}: ${error.message}` };
    throw error;
  }
}

/**
 * The primary binary outcome (progression-free at 6 months) by the protocol version each participant
 * was enrolled under: per version and arm the randomized and complete-case counts, the crude risk
 * difference (Newcombe hybrid score interval) where both arms have an outcome, and, with two or more
 * such versions, the test of arm × version interaction (Wald on log odds ratios, Cochran's Q), which
 * says whether the effect changed with an amendment. Population: complete cases of the ITT population
 * within each version, as in the main comparison. Versions with no randomized participant are absent.
 */
export function compareArmsByProtocolVersion({ rows, armA, armB }: { rows: readonly AnalysisRow[]; armA: string; armB: string }) {
  const versions = [...new Set(rows.map((r) => r.protocolVersion))].sort((a, b) => a - b);
  const counted = versions.map((version) => {
    const inVersion = rows.filter((r) => r.protocolVersion === version);
    const arm = (key: string) => {
      const list = inVersion.filter((r) => r.arm === key);
      const known = list.filter((r) => r.progressionFree6m !== null);
      return { randomized: list.length, n: known.length, events: known.filter((r) => r.progressionFree6m).length };
    };
    return { version, a: arm(armA), b: arm(armB) };
  });
  const comparable = counted.filter((v) => v.a.n > 0 && v.b.n > 0);
  return {
    population: 'Complete cases of the intention-to-treat population, by the protocol version each participant was enrolled under',
    versions: counted.map(({ version, a, b }) => ({
      version,
      armA: a,
      armB: b,
      riskDifference:
        a.n > 0 && b.n > 0
          ? attempt(() => compareArms({ eventsA: a.events, nA: a.n, eventsB: b.events, nB: b.n }).estimates.find((e) => e.measure === 'risk difference' && e.method.startsWith('Newcombe')) ?? null)
          : ({ available: false, reason: `no outcome recorded in ${a.n === 0 ? armA : armB} under version ${version}` } as const),
    })),
    interaction:
      comparable.length >= 2
        ? attempt(() => armSubgroupInteraction(comparable.map((v) => ({ name: `v${v.version}`, eventsA: v.a.events, nA: v.a.n, eventsB: v.b.events, nB: v.b.n }))))
        : ({ available: false, reason: `${comparable.length} protocol version(s) with outcomes in both arms (need 2)` } as const),
  };
}
