import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../db/client';
import { createContentStore, sha256Hex } from '../../imaging/storage/content-store';
import { registerModel } from '../domain/segmentation/register-model';
import { env } from '../env';
import { defineRoute, refuse, runRoute } from './route';

/** An ONNX segmentation model of a few hundred MB at most (nnU-Net's 3d_fullres folds are ~120 MB). */
export const MODEL_UPLOAD_MAX_BYTES = 600 * 1024 * 1024;

/**
 * POST multipart/form-data (admins): `onnx` (the model file) and `card` (JSON: name, version, input
 * {name, channels, axisOrder, spacingMm}, output {name, form, regionOrder | labels}, inference
 * {patch, step}, optionally sha256 and anything else the card should keep). The declaration is
 * checked against the ONNX graph and a test volume before anything is recorded (registerModel);
 * a mismatch answers 400 naming the field, the declared and the actual value. When the card gives
 * no sha256, the file's is used; when it gives one, it must match.
 */
export const uploadModelRoute = defineRoute({
  name: 'model-upload',
  roles: ['admin'],
  maxBytes: MODEL_UPLOAD_MAX_BYTES,
  async handle({ db, actor, request, readForm }) {
    const form = await readForm('Expected multipart/form-data with the fields onnx (file) and card (JSON).');
    const file = form.get('onnx');
    if (!file || typeof file === 'string') refuse('INVALID_INPUT', 'The field onnx must be the model file.');
    let card: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(String(form.get('card') ?? ''));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      card = parsed as Record<string, unknown>;
    } catch {
      refuse('INVALID_INPUT', 'The field card must be a JSON object (the model declaration).', { field: 'card' });
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    // registerModel reads the graph from a file (onnxruntime opens it by path).
    const dir = await mkdtemp(path.join(os.tmpdir(), 'segtrial-model-'));
    try {
      const onnxPath = path.join(dir, 'model.onnx');
      await writeFile(onnxPath, bytes);
      const result = await registerModel({
        db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        onnxPath,
        card: { ...card, sha256: card.sha256 ?? sha256Hex(bytes) },
        isDefault: form.get('makeDefault') === 'true',
        actor,
        request,
      });
      return Response.json(result, { status: result.created ? 201 : 200 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});

export const handleModelUpload = ({ db, req }: { db: Database; req: Request }) => runRoute(uploadModelRoute, { db, req });
