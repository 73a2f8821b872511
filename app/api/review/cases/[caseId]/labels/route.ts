import { handleEditedLabelsUpload } from '../../../../../../server/http/review-files';
import { getRuntime } from '../../../../../../server/runtime';

export const dynamic = 'force-dynamic';

/** The reviewer's edited label map (request body: NIfTI bytes): see server/http/review-files.ts. */
export async function POST(req: Request, { params }: { params: Promise<{ caseId: string }> }): Promise<Response> {
  const { db } = await getRuntime();
  const { caseId } = await params;
  return handleEditedLabelsUpload({ db, req, caseId });
}
