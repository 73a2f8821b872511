import { createHash } from 'node:crypto';
import { canonicalJson } from '../randomization/canonical-json';
import type { RandomizationParameters } from '../randomization/parameters';

/**
 * SHA-256 (hex) of the canonical JSON of what a randomization design simulation depends on besides
 * its settings: the randomization parameters and the trial's site codes (sorted). Go-live links a
 * stored simulation to the live commitment only when this matches the design being committed.
 *
 * @example
 * hashSimulatedDesign({ params, sites: ['site-b', 'site-a'] }) === hashSimulatedDesign({ params, sites: ['site-a', 'site-b'] }); // → true
 */
export function hashSimulatedDesign({ params, sites }: { params: RandomizationParameters; sites: readonly string[] }): string {
  const body = canonicalJson(JSON.parse(JSON.stringify({ params, sites: [...sites].sort() })));
  return createHash('sha256').update(body).digest('hex');
}
