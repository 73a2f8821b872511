import { EVENT_REASONS, EXCLUSION_REASONS, type ParticipantEventKind } from '@/db/schema';

export interface ConsortParticipant {
  readonly status: 'enrolled' | 'randomized' | 'excluded';
  readonly exclusionReason: string | null;
  /**
   * Eligibility from the answers and any signed waiver. An enrolled participant who is 'ineligible'
   * counts as excluded, "not meeting eligibility criteria", not as awaiting randomization.
   */
  readonly eligibilityState?: 'eligible' | 'ineligible' | 'waived';
  /** The arm, or null when the viewer may not see arms (then all arms fold into one 'blinded' column). */
  readonly arm: string | null;
  readonly randomized: boolean;
  readonly events: readonly { kind: ParticipantEventKind; reason: string }[];
}

export interface ReasonCount {
  readonly reason: string;
  readonly label: string;
  readonly n: number;
}

export interface ConsortArm {
  readonly arm: string;
  readonly label: string;
  readonly allocated: number;
  readonly withdrawn: number;
  readonly withdrawnReasons: readonly ReasonCount[];
  readonly lostToFollowUp: number;
  readonly lostReasons: readonly ReasonCount[];
  readonly protocolDeviations: number;
  readonly deviationReasons: readonly ReasonCount[];
  /** Randomized participants neither withdrawn nor lost: those with outcome data expected. */
  readonly analysed: number;
}

export interface ConsortCounts {
  readonly assessed: number;
  readonly excluded: number;
  readonly exclusionReasons: readonly ReasonCount[];
  readonly awaitingRandomization: number;
  readonly randomized: number;
  readonly arms: readonly ConsortArm[];
}

function reasonCounts(reasons: Record<string, string>, values: readonly string[]): ReasonCount[] {
  return Object.entries(reasons).map(([reason, label]) => ({ reason, label, n: values.filter((v) => v === reason).length }));
}

/**
 * CONSORT flow counts from the participant list. Every reason category is listed, n = 0 included,
 * so a reader sees that a reason did not occur rather than that it was not recorded. A participant
 * counts once as withdrawn or lost (the first such event); deviations are counted separately.
 *
 * @example consortCounts({ participants: [], arms: [{ key: 'a', label: 'A' }] }).arms[0].allocated // 0
 */
export function consortCounts({ participants, arms }: { participants: readonly ConsortParticipant[]; arms: readonly { key: string; label: string }[] }): ConsortCounts {
  const randomized = participants.filter((p) => p.randomized);
  const anyMasked = randomized.some((p) => p.arm === null);
  const armColumns = anyMasked ? [{ key: '__blinded__', label: 'All arms (blinded)' }] : arms;
  const ineligible = (p: ConsortParticipant) => p.status === 'enrolled' && p.eligibilityState === 'ineligible';
  const excluded = participants.filter((p) => p.status === 'excluded' || ineligible(p));
  return {
    assessed: participants.length,
    excluded: excluded.length,
    exclusionReasons: reasonCounts(
      EXCLUSION_REASONS,
      excluded.map((p) => (ineligible(p) ? 'not_eligible' : (p.exclusionReason ?? 'other'))),
    ),
    awaitingRandomization: participants.filter((p) => p.status === 'enrolled' && !ineligible(p)).length,
    randomized: randomized.length,
    arms: armColumns.map(({ key, label }) => {
      const members = randomized.filter((p) => anyMasked || p.arm === key);
      const firstExit = (p: ConsortParticipant) => p.events.find((e) => e.kind === 'withdrawn' || e.kind === 'lost_to_follow_up');
      const withdrawn = members.filter((p) => firstExit(p)?.kind === 'withdrawn');
      const lost = members.filter((p) => firstExit(p)?.kind === 'lost_to_follow_up');
      const deviations = members.flatMap((p) => p.events.filter((e) => e.kind === 'protocol_deviation'));
      return {
        arm: key,
        label,
        allocated: members.length,
        withdrawn: withdrawn.length,
        withdrawnReasons: reasonCounts(
          EVENT_REASONS.withdrawn,
          withdrawn.map((p) => firstExit(p)!.reason),
        ),
        lostToFollowUp: lost.length,
        lostReasons: reasonCounts(
          EVENT_REASONS.lost_to_follow_up,
          lost.map((p) => firstExit(p)!.reason),
        ),
        protocolDeviations: deviations.length,
        deviationReasons: reasonCounts(
          EVENT_REASONS.protocol_deviation,
          deviations.map((e) => e.reason),
        ),
        analysed: members.length - withdrawn.length - lost.length,
      };
    }),
  };
}
