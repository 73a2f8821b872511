import { createHash } from 'node:crypto';
import { canonicalJson } from '../randomization/canonical-json';

/**
 * What a signature on a decision means. Shown on the page above the password field and stored with
 * every signature, so the record says what the signer agreed to in the words they saw.
 */
export const DECISION_SIGNATURE_MEANING =
  'I reviewed this case myself and this is my clinical decision for it. By signing I confirm it as final and attributable to me; it cannot be changed afterwards, only corrected by a new signed record linked to it.';

export const CORRECTION_SIGNATURE_MEANING =
  'I reviewed this case myself and this corrects my earlier signed decision for it, for the reason stated. By signing I confirm the correction as final and attributable to me; both records are kept.';

/** SHA-256 hex of the canonical JSON of what was signed: binds the signature manifest to the content. */
export function signedContentSha256(content: unknown): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
