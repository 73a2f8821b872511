import type { DbOrTx } from '@/db/client';
import type { SessionUser } from '../auth/resolve-session';
import type { TrialAccess } from '../trials/trial-access';
import type { TrialDesign } from '../trials/trial-design';
import { balanceReport } from './balance-report';
import { consortCounts } from './consort-counts';
import { listParticipants } from './list-participants';

/**
 * A trial's coordination view from one read of its participants (as the caller may see them):
 * the participant list, the balance per site and stratum, and the CONSORT flow counts. Arms are
 * per-arm only where the list carries them (a blinded viewer's list has none, so both fold them).
 */
export async function loadTrialOverview({ db, access, user, design }: { db: DbOrTx; access: TrialAccess; user: SessionUser; design: TrialDesign | null }) {
  const participants = await listParticipants({ db, access, user });
  const arms = design?.randomization.arms ?? [];
  return {
    participants,
    balance: balanceReport({ participants, arms: arms.map((a) => a.key), factors: design?.randomization.factors.map((f) => f.name) ?? [] }),
    consort: consortCounts({ participants, arms: arms.map((a) => ({ key: a.key, label: a.label })) }),
  };
}
