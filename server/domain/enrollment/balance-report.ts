export interface BalanceParticipant {
  readonly site: string;
  readonly randomized: boolean;
  readonly arm: string | null;
  readonly covariates: Readonly<Record<string, string | number>>;
}

export interface BalanceRow {
  readonly key: string;
  readonly total: number;
  /** Per-arm counts, or null when the viewer may not see arms. */
  readonly byArm: Readonly<Record<string, number>> | null;
}

/**
 * Randomized counts per site and per stratum (site × factor levels). Per-arm counts only when every
 * arm is visible to the viewer: with permuted blocks, a blinded coordinator who saw per-stratum arm
 * counts could predict the next allocation, which would break concealment.
 */
export function balanceReport({ participants, arms, factors }: { participants: readonly BalanceParticipant[]; arms: readonly string[]; factors: readonly string[] }): {
  bySite: BalanceRow[];
  byStratum: BalanceRow[];
  armsVisible: boolean;
} {
  const randomized = participants.filter((p) => p.randomized);
  const armsVisible = randomized.every((p) => p.arm !== null);
  const group = (keyOf: (p: BalanceParticipant) => string): BalanceRow[] => {
    const map = new Map<string, BalanceParticipant[]>();
    for (const p of randomized) map.set(keyOf(p), [...(map.get(keyOf(p)) ?? []), p]);
    return [...map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, members]) => ({
        key,
        total: members.length,
        byArm: armsVisible ? Object.fromEntries(arms.map((arm) => [arm, members.filter((m) => m.arm === arm).length])) : null,
      }));
  };
  return {
    armsVisible,
    bySite: group((p) => p.site),
    byStratum: group((p) => [`site=${p.site}`, ...[...factors].sort().map((f) => `${f}=${p.covariates[f] ?? '?'}`)].join('|')),
  };
}
