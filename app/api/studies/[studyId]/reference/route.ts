import { serveRoute } from '@/server/http/route';
import { uploadReferenceSegmentationRoute } from '@/server/http/upload-reference-segmentation';

export const dynamic = 'force-dynamic';

/** Expert reference segmentation upload (multipart): see server/http/upload-reference-segmentation.ts. */
export const POST = serveRoute(uploadReferenceSegmentationRoute);
