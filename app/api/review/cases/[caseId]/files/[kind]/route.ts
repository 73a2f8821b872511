import { handleCaseFileRequest } from '../../../../../../../server/http/review-files';
import { getRuntime } from '../../../../../../../server/runtime';

export const dynamic = 'force-dynamic';

/** A case's volume or label map for the viewer: see server/http/review-files.ts. */
export async function GET(req: Request, { params }: { params: Promise<{ caseId: string; kind: string }> }): Promise<Response> {
  const { db } = await getRuntime();
  const { caseId, kind } = await params;
  return handleCaseFileRequest({ db, req, caseId, kind });
}
