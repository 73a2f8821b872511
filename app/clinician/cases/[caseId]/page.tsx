import { TRPCError } from '@trpc/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AppShell } from '@/app/_components/AppShell';
import { api, requireRole } from '@/app/_lib/session';
import { CaseReview } from '../../_components/CaseReview';
import { RanoPanel } from '../../_components/RanoPanel';

export const dynamic = 'force-dynamic';

/**
 * A case: viewer, AI panel (assisted arm only: the AI metadata is fetched here only when the server
 * says the case has AI assistance, and the server refuses it for the control arm anyway), decision
 * form and signature. A case outside the clinician's sites is a 404.
 */
export default async function CasePage({ params }: { params: Promise<{ caseId: string }> }) {
  const user = await requireRole('clinician');
  const { caseId } = await params;
  const caller = await api();
  let view;
  try {
    view = await caller.review.case({ caseId });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
  const ai = view.aiAssistance === 'available' ? await caller.review.aiSegmentation({ caseId }) : null;
  // Follow-up visits only: comparison with baseline or nadir and the RANO assessment (AI parts on the assisted arm only).
  const followup = await caller.followup.case({ caseId });
  return (
    <AppShell user={user} current="/clinician">
      <p style={{ margin: '0 0 6px' }}>
        <Link href="/clinician">← Worklist</Link>
      </p>
      <h1>
        Case {view.participantCode}{' '}
        <span className="muted" style={{ fontSize: 16, fontWeight: 400 }}>
          · {view.site} · {view.trialName}
        </span>
      </h1>
      <CaseReview view={view} ai={ai} signerName={user.displayName} />
      {followup.isFollowUp && <RanoPanel view={followup} signerName={user.displayName} />}
    </AppShell>
  );
}
