import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { dataQueries, participants, sites, sourceVerifications, users, type QueryStatus } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';
import { loadSourceData } from './load-source-data';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/**
 * Data queries and source data verification. A monitor raises a query on a data point of a
 * participant; site staff answer it (a correction of the data itself is its own signed record); the
 * monitor closes it. Each step is one audited transaction; the row holds the current state.
 */

export async function raiseQuery(options: {
  db: Database;
  access: TrialAccess;
  participantId: string;
  entityType: string;
  entityId: string | null;
  field: string | null;
  question: string;
  actor: AuditActor & { userId: string };
  request: RequestMetadata;
}) {
  const { db, access, actor } = options;
  const question = options.question.trim();
  if (question.length < 5) throw new AppError('INVALID_INPUT', 'State the query (at least 5 characters).', { field: 'question' });
  const p = await loadVisibleParticipant({ db, access, participantId: options.participantId });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(dataQueries)
      .values({
        trialId: access.trialId,
        siteId: p.siteId,
        participantId: p.id,
        entityType: options.entityType,
        entityId: options.entityId ?? p.id,
        field: options.field?.trim() || null,
        question,
        raisedBy: actor.userId,
      })
      .returning();
    await writeAuditEvent({
      tx,
      actor,
      action: 'query.raised',
      entityType: 'data_query',
      entityId: row!.id,
      trialId: access.trialId,
      after: { participantId: p.id, studyId: p.studyId, recordType: row!.entityType, recordId: row!.entityId, field: row!.field, question },
      request: options.request,
    });
    return row!;
  });
}

async function lockQuery(tx: DbOrTx, access: TrialAccess, queryId: string) {
  const [row] = await tx
    .select()
    .from(dataQueries)
    .where(and(eq(dataQueries.id, queryId), eq(dataQueries.trialId, access.trialId)))
    .for('update');
  if (!row) throw new AppError('NOT_FOUND', 'Query not found.');
  assertSiteVisible(access, row.siteId, 'Query');
  return row;
}

/** Site staff answer an open query (answering again before it is closed replaces the answer; both are audited). */
export async function answerQuery(options: { db: Database; access: TrialAccess; queryId: string; answer: string; actor: AuditActor & { userId: string }; request: RequestMetadata }) {
  const answer = options.answer.trim();
  if (answer.length < 2) throw new AppError('INVALID_INPUT', 'Write an answer.', { field: 'answer' });
  return options.db.transaction(async (tx) => {
    const row = await lockQuery(tx, options.access, options.queryId);
    if (row.status === 'closed') throw new AppError('INVALID_STATE', 'This query is closed.');
    const now = new Date();
    await tx.update(dataQueries).set({ status: 'answered', answer, answeredBy: options.actor.userId, answeredAt: now }).where(eq(dataQueries.id, row.id));
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'query.answered',
      entityType: 'data_query',
      entityId: row.id,
      trialId: row.trialId,
      before: { status: row.status, answer: row.answer },
      after: { participantId: row.participantId, status: 'answered', answer },
      request: options.request,
    });
    return { id: row.id, status: 'answered' as QueryStatus };
  });
}

/** The monitor closes a query (answered or not), with an optional note. */
export async function closeQuery(options: { db: Database; access: TrialAccess; queryId: string; note: string | null; actor: AuditActor & { userId: string }; request: RequestMetadata }) {
  return options.db.transaction(async (tx) => {
    const row = await lockQuery(tx, options.access, options.queryId);
    if (row.status === 'closed') return { id: row.id, status: 'closed' as QueryStatus };
    const note = options.note?.trim() || null;
    await tx.update(dataQueries).set({ status: 'closed', closeNote: note, closedBy: options.actor.userId, closedAt: new Date() }).where(eq(dataQueries.id, row.id));
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'query.closed',
      entityType: 'data_query',
      entityId: row.id,
      trialId: row.trialId,
      before: { status: row.status },
      after: { participantId: row.participantId, status: 'closed', reason: note },
      request: options.request,
    });
    return { id: row.id, status: 'closed' as QueryStatus };
  });
}

/** The queries of a trial at the caller's sites (optionally one participant or status), with site and study ID. */
export async function listQueries({ db, access, participantId, status }: { db: DbOrTx; access: TrialAccess; participantId?: string; status?: QueryStatus }) {
  if (participantId) {
    // A participant of another trial or site is NOT_FOUND, as on every other read: not an empty list.
    await loadVisibleParticipant({ db, access, participantId });
  }
  const rows = await db
    .select({ q: dataQueries, siteCode: sites.code, studyId: participants.studyId, raisedByName: users.displayName })
    .from(dataQueries)
    .innerJoin(sites, eq(sites.id, dataQueries.siteId))
    .innerJoin(participants, eq(participants.id, dataQueries.participantId))
    .innerJoin(users, eq(users.id, dataQueries.raisedBy))
    .where(
      and(
        eq(dataQueries.trialId, access.trialId),
        access.siteIds === null ? undefined : inArray(dataQueries.siteId, access.siteIds.length ? [...access.siteIds] : ['00000000-0000-0000-0000-000000000000']),
        participantId ? eq(dataQueries.participantId, participantId) : undefined,
        status ? eq(dataQueries.status, status) : undefined,
      ),
    )
    .orderBy(asc(dataQueries.raisedAt));
  return rows.map(({ q, siteCode, studyId, raisedByName }) => ({
    id: q.id,
    site: siteCode,
    participantId: q.participantId,
    studyId,
    recordType: q.entityType,
    recordId: q.entityId,
    field: q.field,
    question: q.question,
    status: q.status,
    raisedBy: raisedByName,
    raisedAt: q.raisedAt,
    answer: q.answer,
    answeredAt: q.answeredAt,
    closeNote: q.closeNote,
    closedAt: q.closedAt,
  }));
}

/** A monitor marks a field of a record verified against source documents (once; audited). */
export async function verifySource(options: {
  db: Database;
  access: TrialAccess;
  participantId: string;
  entityType: string;
  entityId: string | null;
  field: string;
  note: string | null;
  actor: AuditActor & { userId: string };
  request: RequestMetadata;
}) {
  const p = await loadVisibleParticipant({ db: options.db, access: options.access, participantId: options.participantId });
  const entityId = options.entityId ?? p.id;
  // Only a data point the record has can be verified, so the progress counts mean what they say.
  const points = (await loadSourceData({ db: options.db, access: options.access, participantId: p.id })).selected?.points ?? [];
  if (!points.some((x) => x.entityType === options.entityType && x.entityId === entityId && x.field === options.field)) {
    const ofRecord = points.filter((x) => x.entityType === options.entityType && x.entityId === entityId).map((x) => x.field);
    throw new AppError(
      'INVALID_INPUT',
      `'${options.field}' is not a data point of this ${options.entityType} record${ofRecord.length ? `; expected one of ${ofRecord.join(', ')}` : ' (source data verification covers the participant record and its current outcome)'}.`,
      { field: 'field', value: options.field },
    );
  }
  return options.db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(sourceVerifications)
      .where(and(eq(sourceVerifications.entityType, options.entityType), eq(sourceVerifications.entityId, entityId), eq(sourceVerifications.field, options.field)));
    if (existing) return { id: existing.id, created: false };
    const [row] = await tx
      .insert(sourceVerifications)
      .values({
        trialId: options.access.trialId,
        participantId: p.id,
        entityType: options.entityType,
        entityId,
        field: options.field,
        note: options.note?.trim() || null,
        verifiedBy: options.actor.userId,
      })
      .returning();
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'sdv.verified',
      entityType: 'source_verification',
      entityId: row!.id,
      trialId: options.access.trialId,
      after: { participantId: p.id, recordType: options.entityType, recordId: entityId, field: options.field, note: row!.note },
      request: options.request,
    });
    return { id: row!.id, created: true };
  });
}
