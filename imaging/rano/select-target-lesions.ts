import type { EnhancingLesion } from './measure-enhancing-lesions';
import { RANO } from './rano-thresholds';

/**
 * RANO 2.0 target lesions: the measurable enhancing lesions, largest product first (ties: larger
 * volume, then lower id), at most `RANO.maxTargetLesions` (3). Non-measurable lesions are never
 * targets; with no measurable lesion the list is empty (non-measurable disease).
 *
 * @example selectTargetLesions([{ id: 1, measurable: false, productMm2: 900 }, { id: 2, measurable: true, productMm2: 150 }]) // [{ id: 2, … }]
 */
export function selectTargetLesions<L extends Pick<EnhancingLesion, 'id' | 'measurable' | 'productMm2' | 'volumeMl'>>(lesions: readonly L[]): L[] {
  return lesions
    .filter((l) => l.measurable)
    .sort((p, q) => q.productMm2 - p.productMm2 || q.volumeMl - p.volumeMl || p.id - q.id)
    .slice(0, RANO.maxTargetLesions);
}
