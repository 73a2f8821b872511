import type { DbOrTx } from '@/db/client';
import type { SessionUser } from '../auth/resolve-session';
import { consortCounts } from '../enrollment/consort-counts';
import { listParticipants } from '../enrollment/list-participants';
import type { TrialAccess } from '../trials/trial-access';
import type { AnalysisDataset } from './analysis-dataset';

/** The CONSORT flow of the participants the caller may see, by the dataset's arms (one read of the participants). */
export async function loadConsortCounts({ db, dataset, access, user }: { db: DbOrTx; dataset: Pick<AnalysisDataset, 'arms'>; access: TrialAccess; user: SessionUser }) {
  const participants = await listParticipants({ db, access, user });
  return consortCounts({ participants, arms: dataset.arms.map((a) => ({ key: a.key, label: a.label })) });
}
