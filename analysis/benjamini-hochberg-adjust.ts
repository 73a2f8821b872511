import { validatePValues } from './validate-p-values';

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate), same as R's
 * `p.adjust(p, "BH")`: with p₍₁₎ ≤ … ≤ p₍ₘ₎, adj₍ᵢ₎ = min(1, minⱼ≥ᵢ m·p₍ⱼ₎/j), in input order.
 * An empty input returns an empty array.
 * Reference: Y. Benjamini & Y. Hochberg (1995), JRSS B 57:289–300.
 * Throws `OUT_OF_RANGE` for a p outside [0, 1] or NaN.
 *
 * @example
 * benjaminiHochbergAdjust([0.01, 0.04, 0.03, 0.2]); // → [0.04, 0.05333333333333333, 0.05333333333333333, 0.2]
 */
export function benjaminiHochbergAdjust(pValues: readonly number[]): number[] {
  validatePValues(pValues);
  const m = pValues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (pValues[b] as number) - (pValues[a] as number));
  const adjusted = new Array<number>(m);
  let running = Infinity;
  order.forEach((index, k) => {
    const rank = m - k; // 1-based rank from the smallest
    running = Math.min(running, (m / rank) * (pValues[index] as number));
    adjusted[index] = Math.min(1, running);
  });
  return adjusted;
}
