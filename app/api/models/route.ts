import { serveRoute } from '@/server/http/route';
import { uploadModelRoute } from '@/server/http/upload-model';

export const dynamic = 'force-dynamic';

/** Model registration (multipart, admins): see server/http/upload-model.ts. */
export const POST = serveRoute(uploadModelRoute);
