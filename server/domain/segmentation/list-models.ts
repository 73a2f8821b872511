import { desc } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { models, trials } from '@/db/schema';

/** The model registry: every registered version, newest first, its card's shape and the trials that pinned it. */
export async function listModels({ db }: { db: DbOrTx }) {
  const [rows, pins] = await Promise.all([
    db
      .select({ id: models.id, name: models.name, version: models.version, sha256: models.sha256, isDefault: models.isDefault, registeredAt: models.registeredAt, card: models.card })
      .from(models)
      .orderBy(desc(models.registeredAt)),
    db.select({ id: trials.id, slug: trials.slug, pinnedModelId: trials.pinnedModelId }).from(trials),
  ]);
  return rows.map(({ card, ...m }) => {
    const c = card as { input?: { channels?: string[]; spacingMm?: number[] }; output?: { form?: string }; inference?: { patch?: number[] } };
    return {
      ...m,
      channels: c.input?.channels ?? [],
      spacingMm: c.input?.spacingMm ?? [],
      outputForm: c.output?.form ?? '',
      patch: c.inference?.patch ?? [],
      pinnedBy: pins.filter((t) => t.pinnedModelId === m.id).map((t) => t.slug),
    };
  });
}
