import type { Tx } from '@/db/client';
import { electronicSignatures } from '@/db/schema';
import { signedContentSha256 } from './signature-meaning';

export interface ElectronicSigner {
  readonly id: string;
  readonly displayName: string;
  readonly username: string;
}

/**
 * Inserts the manifest of an electronic signature (21 CFR 11.50/11.70) inside the caller's
 * transaction: who signed, what the signature means in the words the signer saw, when, and the
 * SHA-256 of the canonical JSON of what was signed — the record's own fields (`content`) plus the
 * signer, the meaning and the time, so the hash binds the manifest to both. Every signed record
 * (decisions, RANO assessments, waivers, amendments, AI suspensions, …) signs through this one function.
 */
export async function writeElectronicSignature({ tx, signer, meaning, signedAt, content }: { tx: Tx; signer: ElectronicSigner; meaning: string; signedAt: Date; content: Record<string, unknown> }) {
  const signed = { ...content, signer: { id: signer.id, name: signer.displayName, username: signer.username }, meaning, signedAt: signedAt.toISOString() };
  const [signature] = await tx
    .insert(electronicSignatures)
    .values({ signerId: signer.id, signerName: signer.displayName, signerUsername: signer.username, meaning, contentSha256: signedContentSha256(signed), signedAt })
    .returning();
  if (!signature) throw new Error('signature insert returned no row');
  return signature;
}
