import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { memberships, sites, trials } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';

export interface CreateTrialOptions {
  readonly tx: DbOrTx;
  readonly slug: string;
  readonly name: string;
  readonly sites: readonly { code: string; name: string; isExternal?: boolean }[];
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
}

/** Creates a trial with its sites; each insert is audited in the caller's transaction. */
export async function createTrial(options: CreateTrialOptions) {
  const { tx, actor, request } = options;
  const codes = options.sites.map((s) => s.code);
  const repeated = codes.find((code, i) => codes.indexOf(code) !== i);
  if (repeated) throw new AppError('INVALID_INPUT', `Site code '${repeated}' is given twice; each site of a trial needs its own code.`, { field: 'sites', value: repeated });
  const [taken] = await tx.select({ id: trials.id }).from(trials).where(eq(trials.slug, options.slug)).limit(1);
  if (taken) throw new AppError('ALREADY_EXISTS', `A trial with the slug '${options.slug}' already exists; choose another.`);
  const [trial] = await tx.insert(trials).values({ slug: options.slug, name: options.name }).returning();
  if (!trial) throw new Error('trial insert returned no row');
  await writeAuditEvent({ tx, actor, action: 'trial.created', entityType: 'trial', entityId: trial.id, trialId: trial.id, after: { slug: trial.slug, name: trial.name }, request });
  const createdSites = [];
  for (const site of options.sites) {
    const [row] = await tx
      .insert(sites)
      .values({ trialId: trial.id, code: site.code, name: site.name, isExternal: site.isExternal ?? false })
      .returning();
    if (!row) throw new Error('site insert returned no row');
    await writeAuditEvent({
      tx,
      actor,
      action: 'site.created',
      entityType: 'site',
      entityId: row.id,
      trialId: trial.id,
      after: { code: row.code, name: row.name, isExternal: row.isExternal },
      request,
    });
    createdSites.push(row);
  }
  return { trial, sites: createdSites };
}

/** Gives a user access to a trial, or to one site of it when `siteId` is set. */
export async function grantMembership(options: { tx: DbOrTx; userId: string; trialId: string; siteId: string | null; actor: AuditActor; request: RequestMetadata }) {
  const { tx } = options;
  const [row] = await tx.insert(memberships).values({ userId: options.userId, trialId: options.trialId, siteId: options.siteId }).returning();
  if (!row) throw new Error('membership insert returned no row');
  await writeAuditEvent({
    tx,
    actor: options.actor,
    action: 'membership.granted',
    entityType: 'membership',
    entityId: row.id,
    trialId: options.trialId,
    after: { userId: options.userId, siteId: options.siteId },
    request: options.request,
  });
  return row;
}
