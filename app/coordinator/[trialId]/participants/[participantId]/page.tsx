import { notFound } from 'next/navigation';
import { AppShell } from '@/app/_components/AppShell';
import { requireRole } from '@/app/_lib/session';
import { ParticipantActions } from '@/app/coordinator/_components/ParticipantActions';
import { loadTrialView } from '@/app/coordinator/_components/load-trial-view';
import { OutcomePanel } from '@/app/coordinator/_components/OutcomePanel';
import { PacsPanel } from '@/app/coordinator/_components/PacsPanel';
import { StudyPanel } from '@/app/coordinator/_components/StudyPanel';
import { TrialNav } from '@/app/coordinator/_components/TrialNav';
import { QueryPanel } from '@/app/monitor/_components/QueryPanel';
import { StatusBadge } from '@/app/coordinator/_components/TrialOverview';

export const dynamic = 'force-dynamic';

export default async function ParticipantPage({ params }: { params: Promise<{ trialId: string; participantId: string }> }) {
  const user = await requireRole('coordinator', 'admin');
  const { trialId, participantId } = await params;
  const { caller, nav, design } = await loadTrialView(trialId);
  const participant = (await caller.participants.list({ trialId })).find((p) => p.id === participantId);
  if (!participant) notFound();
  const [catalogue, studies, outcomes, queries] = await Promise.all([
    caller.participants.reasonCatalogue(),
    caller.studies.listForParticipant({ trialId, participantId }),
    participant.randomized ? caller.outcomes.history({ trialId, participantId }) : Promise.resolve([]),
    caller.queries.list({ trialId, participantId }),
  ]);
  const arms = design.design?.randomization.arms.map((a) => ({ key: a.key, label: a.label })) ?? [];
  const criteria = design.design?.eligibility ?? [];
  const isCoordinator = user.role === 'coordinator';
  return (
    <AppShell user={user} current="/coordinator">
      <TrialNav trial={nav} current="participant" />
      <section className="panel" aria-label="Patient">
        <h2>
          Patient <span data-testid="participant-study-id">{participant.studyId}</span>{' '}
          <StatusBadge status={participant.status} exclusionReason={participant.exclusionReason} eligibility={participant.eligibilityState} />
          {participant.mode === 'test' && (
            <span className="badge warn" style={{ marginLeft: 6 }}>
              test
            </span>
          )}
        </h2>
        <div className="grid">
          <dl className="facts">
            <dt>Site</dt>
            <dd>{participant.site}</dd>
            <dt>Enrolled</dt>
            <dd>{participant.enrolledAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</dd>
            <dt>Consent</dt>
            <dd>{participant.consentDate ?? '—'}</dd>
            <dt>Randomized</dt>
            <dd>{participant.allocatedAt ? `${participant.allocatedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'no'}</dd>
            <dt>Arm</dt>
            <dd data-testid="participant-arm">{participant.randomized ? (participant.arm ? (arms.find((a) => a.key === participant.arm)?.label ?? participant.arm) : 'concealed') : '—'}</dd>
          </dl>
          <dl className="facts">
            {Object.entries(participant.covariates).map(([k, v]) => (
              <div key={k} style={{ display: 'contents' }}>
                <dt>{k}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
          <div>
            <h3>Eligibility</h3>
            <ul className="checklist">
              {criteria.map((c) => {
                const answer = participant.eligibility[c.id];
                const met = c.kind === 'inclusion' ? answer === true : answer === false;
                return (
                  <li key={c.id} className={met ? 'met' : 'unmet'}>
                    {met ? '✓' : '✗'} {c.text}{' '}
                    <span className="muted">
                      ({c.kind}: {answer === undefined ? 'no answer' : answer ? 'yes' : 'no'})
                    </span>
                  </li>
                );
              })}
            </ul>
            {participant.waiver && (
              <p data-testid="eligibility-waiver" style={{ fontSize: 13 }}>
                Waived ({participant.waiver.criteria.join(', ')}) by {participant.waiver.by} at {participant.waiver.waivedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC:{' '}
                {participant.waiver.reason}
              </p>
            )}
            <p className="muted" style={{ fontSize: 13 }}>
              Enrolled under protocol version {participant.protocolVersion}.
            </p>
          </div>
        </div>
      </section>
      {queries.length > 0 && (
        <section className="panel" aria-label="Data queries">
          <h2>Data queries from the monitor</h2>
          <QueryPanel trialId={trialId} queries={queries} participants={[]} mode={isCoordinator ? 'site' : 'monitor'} />
        </section>
      )}
      {participant.randomized && <StudyPanel trialId={trialId} participantId={participant.id} canUpload={isCoordinator} initial={studies} />}
      {participant.randomized && isCoordinator && (await caller.pacs.status()).configured && <PacsPanel trialId={trialId} participantId={participant.id} />}
      {participant.randomized && <OutcomePanel trialId={trialId} participantId={participant.id} studies={studies.map((s) => ({ id: s.id, ingestedAt: s.ingestedAt }))} initial={outcomes} canRecord />}
      <ParticipantActions
        trialId={trialId}
        participant={{
          id: participant.id,
          studyId: participant.studyId,
          status: participant.status,
          randomized: participant.randomized,
          events: participant.events,
          arm: participant.arm,
          eligibilityState: participant.eligibilityState,
          waivable: participant.waivable,
          unmetCriteria: participant.unmetCriteria,
        }}
        criteria={criteria.map((c) => ({ id: c.id, text: c.text }))}
        arms={arms}
        catalogue={catalogue}
        role={user.role}
      />
    </AppShell>
  );
}
