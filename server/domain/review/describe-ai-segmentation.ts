import type { DbOrTx } from '@/db/client';
import { loadAiSegmentation } from './load-ai-segmentation';
import type { ReviewCase } from './load-review-case';

/**
 * The AI segmentation's metadata for an assisted-arm reviewer: model name, version and weights
 * hash, volumes per label and region (WT/TC/ET) in mL, the model's high-grade risk when its card has
 * a risk model. NOT_FOUND for everything loadAiSegmentation refuses.
 */
export async function describeAiSegmentation({ db, reviewCase }: { db: DbOrTx; reviewCase: ReviewCase }) {
  const { segmentation, model } = await loadAiSegmentation({ db, reviewCase });
  return {
    segmentationId: segmentation.id,
    model: { name: model.name, version: model.version, sha256: model.sha256 },
    labelsSha256: segmentation.labelsSha256,
    volumesMl: segmentation.volumesMl as Record<'edema' | 'non_enhancing_tumor' | 'enhancing_tumor' | 'WT' | 'TC' | 'ET', number>,
    riskHighGrade: segmentation.riskHighGrade,
    createdAt: segmentation.createdAt,
  };
}
