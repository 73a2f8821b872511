import { handleReferenceSegmentationUpload } from '../../../../../server/http/upload-reference-segmentation';
import { getRuntime } from '../../../../../server/runtime';

export const dynamic = 'force-dynamic';

/** Expert reference segmentation upload (multipart): see server/http/upload-reference-segmentation.ts. */
export async function POST(req: Request, { params }: { params: Promise<{ studyId: string }> }): Promise<Response> {
  const { db } = await getRuntime();
  return handleReferenceSegmentationUpload({ db, req, studyId: (await params).studyId });
}
