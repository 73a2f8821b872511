import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../db/schema';
import { EXAMPLE_ANALYSIS_PLAN } from '../../server/domain/analysis-plan/analysis-plan-content';
import { AppError } from '../../server/errors';
import { appRouter } from '../../server/routers/_app';
import { callerFor, type DemoUsers } from './support/callers';
import { seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

/**
 * Every procedure of the API, called by every role and anonymously. Each entry names the roles that
 * may call it ('public': anyone, including anonymous) and an input that passes validation. A new
 * procedure without an entry here fails this test: access is decided deliberately, never by default.
 */
/** A well-formed id that matches no record: allowed callers get past the access check to NOT_FOUND. */
const NO_SUCH_ID = '00000000-0000-4000-8000-00000000dead';

const REVIEW_DECISION = { tumourPresent: true, suspectedGrade: 'high', managementPlan: 'biopsy', probabilityHighGrade: 70, confidence: 3, note: null };

interface MatrixEntry {
  readonly allowed: readonly Role[] | 'public' | 'authenticated';
  readonly input: (fixture: { trialId: string; users: DemoUsers }) => unknown;
}

const MATRIX: Record<string, MatrixEntry> = {
  'auth.login': { allowed: 'public', input: () => ({ username: 'nobody', password: 'wrong' }) },
  'auth.logout': { allowed: 'authenticated', input: () => undefined },
  'auth.me': { allowed: 'public', input: () => undefined },
  'trials.list': { allowed: 'authenticated', input: () => undefined },
  'trials.get': { allowed: 'authenticated', input: ({ trialId }) => ({ trialId }) },
  'admin.listUsers': { allowed: ['admin'], input: () => undefined },
  'admin.createUser': { allowed: ['admin'], input: () => ({ username: `u${Math.random().toString(36).slice(2, 10)}`, displayName: 'X', role: 'monitor', password: 'a-long-enough-password' }) },
  'admin.verifyAudit': { allowed: ['admin', 'monitor'], input: () => undefined },
  'admin.auditTrail': { allowed: ['admin', 'monitor'], input: ({ trialId }) => ({ trialId }) },
  'trials.create': { allowed: ['coordinator', 'admin'], input: () => ({ slug: `m-${Math.random().toString(36).slice(2, 10)}`, name: 'Matrix trial', sites: [{ code: 'one', name: 'One' }] }) },
  'trials.design': { allowed: 'authenticated', input: ({ trialId }) => ({ trialId }) },
  'trials.updateDesign': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, design: { randomization: { method: 'permuted_blocks' }, targetSampleSize: 10 } }) },
  'trials.startTestMode': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'trials.goLive': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'trials.balance': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'trials.consort': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'trials.overview': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'trials.unblindings': { allowed: ['monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'participants.enroll': {
    allowed: ['coordinator'],
    input: ({ trialId }) => ({
      trialId,
      siteId: NO_SUCH_ID,
      studyId: 'M-0001',
      baseline: { age: 40, sex: 'F', scannerVendor: 'GE', fieldStrength: '3T' },
      levels: {},
      eligibility: {},
      consentDate: '2026-01-01',
    }),
  },
  'participants.list': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'participants.randomize': { allowed: ['coordinator'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'participants.exclude': { allowed: ['coordinator'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, reason: 'declined' }) },
  'participants.recordEvent': { allowed: ['coordinator'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, kind: 'withdrawn', reason: 'other', occurredOn: '2026-01-01' }) },
  'participants.unblind': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, reason: 'matrix test of access only' }) },
  'studies.listForParticipant': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'studies.uploadsForParticipant': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'studies.confirmUpload': {
    allowed: ['coordinator'],
    input: ({ trialId }) => ({ trialId, uploadId: NO_SUCH_ID, assignments: (['flair', 't1', 't1gd', 't2'] as const).map((role, channel) => ({ role, file: 'case.nii.gz', channel })) }),
  },
  'studies.discardUpload': { allowed: ['coordinator'], input: ({ trialId }) => ({ trialId, uploadId: NO_SUCH_ID }) },
  'pacs.status': { allowed: ['coordinator', 'admin', 'statistician'], input: () => undefined },
  'pacs.search': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, patientId: 'NO-SUCH' }) },
  'pacs.describe': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, studyInstanceUid: '1.2.3' }) },
  'pacs.retrieve': {
    allowed: ['coordinator', 'admin'],
    input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, studyInstanceUid: '1.2.3', series: { flair: '1.1', t1: '1.2', t1gd: '1.3', t2: '1.4' } }),
  },
  'pacs.retrieveStatus': { allowed: ['coordinator', 'admin'], input: () => ({ jobId: NO_SUCH_ID }) },
  'pacs.retrievals': { allowed: ['coordinator', 'admin'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'pacs.results': { allowed: ['statistician', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'pacs.exportResult': { allowed: ['statistician', 'admin'], input: ({ trialId }) => ({ trialId, studyId: NO_SUCH_ID, source: { kind: 'ai', segmentationId: NO_SUCH_ID } }) },
  'participants.reasonCatalogue': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: () => undefined },
  'admin.listModels': { allowed: ['admin'], input: () => undefined },
  'outcomes.record': {
    allowed: ['coordinator', 'admin'],
    input: ({ trialId }) => ({
      trialId,
      participantId: NO_SUCH_ID,
      referenceHighGrade: true,
      whoGrade: 4,
      progressionFree6m: null,
      reference: null,
      assessedOn: '2026-06-01',
      note: null,
      supersedesId: null,
    }),
  },
  'outcomes.list': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'outcomes.history': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'outcomes.recordVisit': {
    allowed: ['coordinator', 'admin'],
    input: ({ trialId }) => ({
      trialId,
      participantId: NO_SUCH_ID,
      visitDate: '2026-06-01',
      vitalStatus: 'alive',
      deathDate: null,
      progression: false,
      progressionDate: null,
      progressionBasis: null,
      note: null,
      supersedesId: null,
    }),
  },
  'outcomes.visits': { allowed: ['coordinator', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'review.worklist': { allowed: ['clinician'], input: () => ({}) },
  'review.case': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID }) },
  'review.open': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID }) },
  'review.aiSegmentation': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID }) },
  'review.reviewSegmentation': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID, outcome: 'accepted', reason: null }) },
  'review.sign': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID, decision: REVIEW_DECISION, password: 'matrix-password' }) },
  'review.correct': {
    allowed: ['clinician'],
    input: () => ({ caseId: NO_SUCH_ID, supersedesId: NO_SUCH_ID, decision: REVIEW_DECISION, reason: 'matrix test of access only', password: 'matrix-password' }),
  },
  'followup.visits': { allowed: ['coordinator', 'clinician', 'monitor'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID }) },
  'followup.recordVisit': { allowed: ['coordinator'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, visitCode: 'fu1', studyId: null, scannedOn: null }) },
  'followup.case': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID }) },
  'followup.signRano': { allowed: ['clinician'], input: () => ({ caseId: NO_SUCH_ID, category: 'SD', overrideReason: null, password: 'matrix-password' }) },
  'followup.progressionEvents': { allowed: ['statistician', 'monitor'], input: ({ trialId }) => ({ trialId }) },
  'admin.exportAuditTrail': { allowed: ['admin', 'monitor'], input: ({ trialId }) => ({ trialId, format: 'json' }) },
  'admin.issuePasswordReset': { allowed: ['admin'], input: () => ({ userId: NO_SUCH_ID }) },
  'admin.revokeMembership': { allowed: ['admin'], input: () => ({ membershipId: NO_SUCH_ID }) },
  'admin.setMembership': { allowed: ['admin'], input: ({ trialId }) => ({ userId: NO_SUCH_ID, trialId, siteId: null }) },
  'admin.updateUser': { allowed: ['admin'], input: () => ({ userId: NO_SUCH_ID, displayName: 'Nobody' }) },
  'auth.resetPassword': { allowed: 'public', input: () => ({ token: 'x'.repeat(40), newPassword: 'a-long-enough-password' }) },
  'participants.waiveEligibility': {
    allowed: ['coordinator'],
    input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, reason: 'Matrix check of the waiver.', password: 'not checked: no such participant' }),
  },
  'queries.list': { allowed: ['monitor', 'coordinator', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'queries.raise': { allowed: ['monitor'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, question: 'Is this value right?' }) },
  'queries.answer': { allowed: ['coordinator'], input: ({ trialId }) => ({ trialId, queryId: NO_SUCH_ID, answer: 'Checked.' }) },
  'queries.close': { allowed: ['monitor'], input: ({ trialId }) => ({ trialId, queryId: NO_SUCH_ID }) },
  'queries.sourceData': { allowed: ['monitor', 'coordinator', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'queries.verifySource': { allowed: ['monitor'], input: ({ trialId }) => ({ trialId, participantId: NO_SUCH_ID, field: 'consentDate' }) },
  'trials.acknowledgeUnblinding': { allowed: ['monitor'], input: ({ trialId }) => ({ trialId, unblindingId: NO_SUCH_ID }) },
  // The demo coordinator has two of the three sites: amending needs access to every site, so only the admin passes here.
  'trials.amend': {
    allowed: ['admin'],
    input: ({ trialId }) => ({
      trialId,
      design: { randomization: { method: 'permuted_blocks' }, targetSampleSize: 10 },
      summary: 'A matrix amendment.',
      effectiveOn: '2026-12-01',
      password: 'not the password',
    }),
  },
  'trials.amendments': { allowed: 'authenticated', input: ({ trialId }) => ({ trialId }) },
  'oversight.dashboard': { allowed: ['monitor', 'admin', 'statistician'], input: ({ trialId }) => ({ trialId }) },
  'oversight.acknowledgeAlert': { allowed: ['monitor', 'admin'], input: ({ trialId }) => ({ trialId, alertId: NO_SUCH_ID, comment: 'Checked the site.' }) },
  'oversight.availability': { allowed: ['monitor', 'admin', 'statistician', 'coordinator'], input: ({ trialId }) => ({ trialId }) },
  'oversight.setAvailability': {
    allowed: ['admin'],
    input: ({ trialId }) => ({ trialId, siteId: NO_SUCH_ID, action: 'suspended', reason: 'A reason long enough.', password: 'not checked: no such site' }),
  },
  'oversight.shadowComparisons': { allowed: ['monitor', 'admin', 'statistician'], input: ({ trialId }) => ({ trialId }) },
  'oversight.startShadowEvaluation': { allowed: ['admin'], input: ({ trialId }) => ({ trialId, modelId: NO_SUCH_ID }) },
  'oversight.switchModel': {
    allowed: ['admin'],
    input: ({ trialId }) => ({ trialId, modelId: NO_SUCH_ID, summary: 'Switch to the candidate model.', effectiveOn: '2026-01-01', password: 'not checked: no such model' }),
  },
  'oversight.exportEventLog': { allowed: ['admin'], input: ({ trialId }) => ({ trialId }) },
  'analytics.report': { allowed: ['statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'analytics.checklists': { allowed: ['statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'analysisPlan.versions': { allowed: ['statistician', 'monitor', 'admin', 'dsmb'], input: ({ trialId }) => ({ trialId }) },
  'analysisPlan.lock': {
    allowed: ['statistician'],
    input: ({ trialId }) => ({ trialId, content: EXAMPLE_ANALYSIS_PLAN, amendmentReason: 'Matrix check of access only.', password: 'not the password' }),
  },
  // The demo statistician's membership is not 'unblinded': closed reports are the committee's alone.
  'dsmb.closedReport': { allowed: ['dsmb'], input: ({ trialId }) => ({ trialId }) },
  'dsmb.openReport': { allowed: ['dsmb', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'dsmb.recommendations': { allowed: ['dsmb', 'statistician', 'monitor', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'randomizationDesign.simulate': { allowed: ['coordinator', 'statistician', 'admin'], input: ({ trialId }) => ({ trialId, replicates: 10, participants: 20 }) },
  // The demo trial is live: an allowed role gets past the access check to INVALID_STATE (the design is committed).
  'randomizationDesign.run': { allowed: ['coordinator', 'statistician', 'admin'], input: ({ trialId }) => ({ trialId, replicates: 10, participants: 20 }) },
  'randomizationDesign.stored': { allowed: ['coordinator', 'statistician', 'admin'], input: ({ trialId }) => ({ trialId }) },
  'dsmb.recordRecommendation': {
    allowed: ['dsmb'],
    input: ({ trialId }) => ({ trialId, look: 1, recommendation: 'continue', rationale: 'Matrix check of access only.', reportSha256: '0'.repeat(64), password: 'not the password' }),
  },
};

const roleUser = (users: DemoUsers, role: Role) => users[role === 'clinician' ? 'clinician' : role];

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
let fixture: { trialId: string; users: DemoUsers };
beforeAll(async () => {
  handle = await openTestDatabase();
  fixture = await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

/**
 * 'UNAUTHORIZED' / 'FORBIDDEN' only when the access check refused the call; any other outcome
 * (success, NOT_FOUND, a business rule, wrong credentials) means the caller got past it.
 */
async function call(path: string, caller: ReturnType<typeof callerFor>, input: unknown): Promise<'UNAUTHORIZED' | 'FORBIDDEN' | 'passed'> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
  try {
    await fn(input);
    return 'passed';
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const appCode = error.cause instanceof AppError ? error.cause.code : undefined;
    if (error.code === 'UNAUTHORIZED' && appCode === 'UNAUTHENTICATED') return 'UNAUTHORIZED';
    if (error.code === 'FORBIDDEN' && appCode === 'FORBIDDEN_ROLE') return 'FORBIDDEN';
    if (error.code === 'INTERNAL_SERVER_ERROR' || error.code === 'BAD_REQUEST') throw error; // the matrix input must be valid
    return 'passed';
  }
}

describe(`role × procedure matrix (${TEST_DRIVER})`, () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();

  it('has an entry for every procedure, and no entry for a procedure that does not exist', () => {
    expect(procedures).toEqual(Object.keys(MATRIX).sort());
  });

  for (const path of procedures) {
    it(`${path}: allowed roles pass the access check, others are refused`, async () => {
      const entry = MATRIX[path];
      if (!entry) throw new Error(`no matrix entry for ${path}`);
      const anonymous = await call(path, callerFor(handle.db, null), entry.input(fixture));
      expect(anonymous, `${path} anonymous`).toBe(entry.allowed === 'public' ? 'passed' : 'UNAUTHORIZED');

      for (const role of ROLES) {
        const outcome = await call(path, callerFor(handle.db, roleUser(fixture.users, role)), entry.input(fixture));
        const allowed = entry.allowed === 'public' || entry.allowed === 'authenticated' || entry.allowed.includes(role);
        expect(outcome, `${path} as ${role}`).toBe(allowed ? 'passed' : 'FORBIDDEN');
      }
    });
  }

  it('answers NOT_FOUND for a trial the caller does not belong to', async () => {
    const outsider = { id: '00000000-0000-4000-8000-000000000001', username: 'outsider', displayName: 'Out', role: 'monitor' as const };
    await expect(callerFor(handle.db, outsider).trials.get({ trialId: fixture.trialId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(callerFor(handle.db, outsider).admin.auditTrail({ trialId: fixture.trialId, limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('shows a site-bound clinician only their own site', async () => {
    const trials = await callerFor(handle.db, fixture.users.clinician).trials.list();
    expect(trials.map((t) => t.sites.map((s) => s.code))).toEqual([['site-a']]);
  });
});
