import { summarizeReviewActions } from '@/analysis/summarize-review-actions';
import { section } from './analytics-section';
import type { SectionContext } from './section-context';

/** Accept / edit / reject of the AI proposal, time to decision and Dice proposal→final, by arm, reader and site. */
export function summarizeHumanAiInteraction({ dataset: { readers }, label }: SectionContext) {
  return (['arm', 'reader', 'site'] as const).map((by) => ({
    by,
    result: section(() =>
      summarizeReviewActions(
        readers.map((r) => ({ group: by === 'arm' ? label(r.arm) : r[by], action: r.aiAction, secondsToDecision: r.secondsToDecision, diceProposalToFinal: r.diceProposalToFinal })),
      ),
    ),
  }));
}
