import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../../db/client';
import type { ContentStore } from '../../../imaging/storage/content-store';
import { SHIPPED_MODEL_DIR } from '../../../models/registry/shipped-model';
import { registerModel } from './register-model';

/**
 * Registers the model committed with this version of SegTrial (models/segtrial-unet3d) as the
 * default, on every start: the first start registers it, later starts find it (same name, version
 * and hash) and do nothing, and a newer shipped version becomes the new default while trials that
 * went live keep the version they pinned.
 */
export async function registerShippedModel({ db, store, root = process.cwd() }: { db: Database; store: ContentStore; root?: string }) {
  const dir = path.join(root, SHIPPED_MODEL_DIR);
  const card = JSON.parse(await readFile(path.join(dir, 'model-card.json'), 'utf8')) as unknown;
  return registerModel({ db, store, onnxPath: path.join(dir, 'model.onnx'), card, isDefault: true, actor: { userId: null, role: null }, request: { via: 'system' } });
}
