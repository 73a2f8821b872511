import { notFound } from 'next/navigation';
import { api } from '../../_lib/session';

/**
 * The trial as a coordinator page needs it: summary, design and the commitment of the current mode.
 * A trial the caller may not see (or a malformed id) is a 404, as the API answers.
 */
export async function loadTrialView(trialId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trialId)) notFound();
  const caller = await api();
  try {
    const [summary, design] = await Promise.all([caller.trials.get({ trialId }), caller.trials.design({ trialId })]);
    const mode = design.status === 'live' || design.status === 'closed' ? 'live' : 'test';
    // Commitments come newest period first: the one in force is the first of the mode.
    const commitment = design.status === 'design' ? null : (design.commitments.find((c) => c.mode === mode)?.commitmentHash ?? null);
    return { caller, summary, design, commitment, nav: { id: summary.id, name: summary.name, status: summary.status, commitment } };
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error as { code: string }).code === 'NOT_FOUND') notFound();
    throw error;
  }
}
