import { createHash } from 'node:crypto';
import { canonicalJson } from '../randomization/canonical-json';
import type { UnsignedManifest } from './backup-format';

/** SHA-256 hex of the manifest's canonical JSON without its own `manifestSha256` field. */
export function manifestHash(manifest: UnsignedManifest & { manifestSha256?: string }): string {
  const { manifestSha256: _ignored, ...rest } = manifest;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}
