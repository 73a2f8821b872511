import { handleAnalyticsExport } from '../../../../../server/http/analytics-export';
import { getRuntime } from '../../../../../server/runtime';

export const dynamic = 'force-dynamic';

/** Analysis exports (CSV, JSON, dataset, dictionary, PDF): see server/http/analytics-export.ts. */
export async function GET(req: Request, { params }: { params: Promise<{ trialId: string }> }): Promise<Response> {
  const { db } = await getRuntime();
  return handleAnalyticsExport({ db, req, trialId: (await params).trialId });
}
