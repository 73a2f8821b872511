import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { parseRandomizationParameters } from './parse-randomization-parameters';
import { seedToHex, type SeedInput } from './seed';

export interface CommitmentOptions {
  readonly seed: SeedInput;
  /** Parameters as configured or as parsed: they are parsed (defaults filled in) before hashing. */
  readonly params: unknown;
  readonly algorithmVersion: string;
}

/**
 * The exact text the commitment hashes: canonical JSON (keys sorted, no whitespace) of
 * { algorithmVersion, parameters, seed } with the parameters parsed and the seed as lowercase hex.
 *
 * @example commitmentDocument({ seed: '00'.repeat(32), params: { method: 'permuted_blocks' }, algorithmVersion: 'segtrial-randomization/1' })
 *   // '{"algorithmVersion":"segtrial-randomization/1","parameters":{"arms":[{"key":"ai_assisted",…}],…},"seed":"0000…"}'
 */
export function commitmentDocument({ seed, params, algorithmVersion }: CommitmentOptions): string {
  return canonicalJson({
    algorithmVersion,
    parameters: parseRandomizationParameters(params),
    seed: seedToHex(seed),
  });
}

/**
 * SHA-256 (lowercase hex) of commitmentDocument. Published when the trial starts (the seed stays
 * secret); once the seed is revealed anyone can recompute it, e.g.
 * `printf '%s' "$DOCUMENT" | sha256sum`, and replay every allocation.
 */
export function commitmentHash(options: CommitmentOptions): string {
  return createHash('sha256').update(commitmentDocument(options), 'utf8').digest('hex');
}
