import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { users, type Role } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { hashPassword, passwordPolicyViolation } from '../auth/password-hash';

export interface CreateUserOptions {
  readonly db: DbOrTx;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly password: string;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
}

export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,39}$/;

/** Creates a local account (audited). Usernames are lower-case; the password is hashed with scrypt. */
export async function createUser(options: CreateUserOptions): Promise<{ id: string; username: string }> {
  const username = options.username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(username)) {
    throw new AppError('INVALID_INPUT', `Username '${username}' must be 3–40 characters: a letter, then letters, digits, '.', '_' or '-'.`);
  }
  const violation = passwordPolicyViolation(options.password);
  if (violation) throw new AppError('INVALID_INPUT', `Password ${violation}.`);
  const passwordHash = await hashPassword(options.password);

  const run = async (tx: DbOrTx) => {
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.username, username)).limit(1);
    if (existing) throw new AppError('ALREADY_EXISTS', `Username '${username}' is already taken.`);
    const [created] = await tx.insert(users).values({ username, displayName: options.displayName, role: options.role, passwordHash }).returning({ id: users.id, username: users.username });
    if (!created) throw new Error('user insert returned no row');
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'user.created',
      entityType: 'user',
      entityId: created.id,
      after: { username, displayName: options.displayName, role: options.role },
      request: options.request,
    });
    return created;
  };
  return options.db.transaction(run);
}
