import { readFile } from 'node:fs/promises';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { models } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { ModelDeclarationError, verifyModel } from '@/models/registry/verify-model';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

/**
 * Registers an ONNX model with its card: the declaration is checked against the graph and a test
 * volume (a mismatch is refused with the field, the declared and the actual value), the file is
 * copied into the content store under its SHA-256, and the row is audited. Registering the same
 * name and version again with the same hash is a no-op; with another hash it is refused.
 */
export async function registerModel({
  db,
  store,
  onnxPath,
  card,
  isDefault = false,
  actor,
  request,
}: {
  db: Database;
  store: ContentStore;
  onnxPath: string;
  card: unknown;
  isDefault?: boolean;
  actor: AuditActor;
  request: RequestMetadata;
}) {
  let verified;
  try {
    verified = await verifyModel({ onnxPath, card });
  } catch (error) {
    if (error instanceof ModelDeclarationError) throw new AppError('INVALID_INPUT', error.message, { field: error.field });
    throw error;
  }
  const [existing] = await db
    .select()
    .from(models)
    .where(and(eq(models.name, verified.name), eq(models.version, verified.version)));
  if (existing) {
    if (existing.sha256 !== verified.sha256)
      throw new AppError('ALREADY_EXISTS', `Model ${verified.name}@${verified.version} is registered with other weights (${existing.sha256.slice(0, 12)}…): give the new weights a new version.`);
    return { id: existing.id, created: false, name: verified.name, version: verified.version };
  }
  await store.put(new Uint8Array(await readFile(onnxPath)));
  return db.transaction(async (tx) => {
    if (isDefault) await tx.update(models).set({ isDefault: false }).where(eq(models.isDefault, true));
    const [row] = await tx
      .insert(models)
      .values({ name: verified.name, version: verified.version, sha256: verified.sha256, card: verified, isDefault, registeredBy: actor.userId })
      .returning({ id: models.id });
    if (!row) throw new Error('model insert returned no row');
    await writeAuditEvent({
      tx,
      actor,
      action: 'model.registered',
      entityType: 'model',
      entityId: row.id,
      after: { name: verified.name, version: verified.version, sha256: verified.sha256, isDefault },
      request,
    });
    return { id: row.id, created: true, name: verified.name, version: verified.version };
  });
}
