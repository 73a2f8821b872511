import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'segtrial_session';

/** 256 random bits, base64url: the only copy lives in the user's httpOnly cookie. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions are stored by token hash, so a database leak does not hand out live sessions. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
