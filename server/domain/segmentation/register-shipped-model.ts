import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from '@/db/client';
import type { ContentStore } from '@/imaging/storage/content-store';
import { registerModel } from './register-model';

/**
 * The shipped model's two files, named relative to this module: the bundler sees exactly which
 * files the server reads and ships those two. (A path built from process.cwd() at run time made
 * Turbopack trace the whole project into the server build, with a 45-line warning.)
 */
const SHIPPED_CARD = new URL('../../../models/segtrial-unet3d/model-card.json', import.meta.url);
const SHIPPED_ONNX = new URL('../../../models/segtrial-unet3d/model.onnx', import.meta.url);

/**
 * Registers the model committed with this version of SegTrial (models/segtrial-unet3d) as the
 * default, on every start: the first start registers it, later starts find it (same name, version
 * and hash) and do nothing, and a newer shipped version becomes the new default while trials that
 * went live keep the version they pinned.
 */
export async function registerShippedModel({ db, store }: { db: Database; store: ContentStore }) {
  const card = JSON.parse(await readFile(SHIPPED_CARD, 'utf8')) as unknown;
  return registerModel({ db, store, onnxPath: fileURLToPath(SHIPPED_ONNX), card, isDefault: true, actor: { userId: null, role: null }, request: { via: 'system' } });
}
