import { validatePValues } from './validate-p-values';

/**
 * Holm step-down adjusted p-values (family-wise error rate), same as R's `p.adjust(p, "holm")`:
 * with p₍₁₎ ≤ … ≤ p₍ₘ₎, adj₍ᵢ₎ = min(1, maxⱼ≤ᵢ (m − j + 1)·p₍ⱼ₎), returned in input order.
 * Ties keep input order (stable sort), as R's `order()`.
 * An empty input returns an empty array (R returns numeric(0)).
 * Reference: S. Holm (1979), Scand J Stat 6:65–70.
 * Throws `OUT_OF_RANGE` for a p outside [0, 1] or NaN.
 *
 * @example
 * holmAdjust([0.01, 0.04, 0.03, 0.2]); // → [0.04, 0.09, 0.09, 0.2]
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  validatePValues(pValues);
  const m = pValues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (pValues[a] as number) - (pValues[b] as number));
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, (m - rank) * (pValues[index] as number));
    adjusted[index] = Math.min(1, running);
  });
  return adjusted;
}
