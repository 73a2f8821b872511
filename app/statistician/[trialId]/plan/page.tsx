import '../../statistician.css';
import { notFound } from 'next/navigation';
import { AppShell } from '@/app/_components/AppShell';
import { api, requireRole } from '@/app/_lib/session';
import { EXAMPLE_ANALYSIS_PLAN, PLAN_OUTCOMES } from '@/server/domain/analysis-plan/analysis-plan-content';
import { AnalysisPlanEditor } from '../../_components/AnalysisPlanEditor';
import { RandomizationSimulationPanel } from '../../_components/RandomizationSimulationPanel';

export const dynamic = 'force-dynamic';

/** The statistical analysis plan: every signed version, and (for statisticians) the next one. */
export default async function AnalysisPlanPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(trialId)) notFound();
  const caller = await api();
  const [trial, plans] = await Promise.all([caller.trials.get({ trialId }), caller.analysisPlan.versions({ trialId })]).catch((error: unknown) => {
    if ((error as { code?: string }).code === 'NOT_FOUND') notFound();
    throw error;
  });
  const current = plans.versions[0] ?? null;
  // The design's randomization, simulated at its target size (no design yet: nothing to show).
  const simulation = user.role === 'monitor' ? null : await caller.randomizationDesign.simulate({ trialId, replicates: 100 }).catch(() => null);
  return (
    <AppShell user={user} current="/statistician">
      <p className="muted" style={{ margin: 0 }}>
        <a href="/statistician">Analysis</a> › <a href={`/statistician/${trialId}`}>{trial.name}</a> ›
      </p>
      <h1>Statistical analysis plan</h1>
      {current ? (
        <p data-testid="sap-lock" data-sap-version={current.version}>
          In force: <strong>version {current.version}</strong>, locked and signed by {current.signerName} on {current.lockedAt.replace('T', ' ').slice(0, 16)} UTC, SHA-256{' '}
          <code>{current.contentSha256}</code>. Primary outcome: {PLAN_OUTCOMES[current.content.primaryOutcome].label} ({PLAN_OUTCOMES[current.content.primaryOutcome].type.replace(/_/g, ' ')}).
        </p>
      ) : (
        <p role="alert" data-testid="sap-missing">
          No analysis plan is locked yet: the arms are not compared anywhere until a statistician locks and signs one.
        </p>
      )}
      {plans.versions.length > 0 && (
        <section className="panel" aria-label="Versions">
          <h2>Signed versions</h2>
          <table>
            <thead>
              <tr>
                <th>Version</th>
                <th>Locked (UTC)</th>
                <th>Signed by</th>
                <th>SHA-256</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {plans.versions.map((v) => (
                <tr key={v.id}>
                  <td>{v.version}</td>
                  <td>{v.lockedAt.replace('T', ' ').slice(0, 16)}</td>
                  <td>{v.signerName}</td>
                  <td>
                    <code>{v.contentSha256.slice(0, 16)}</code>
                  </td>
                  <td>{v.amendmentReason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {user.role === 'statistician' ? (
        <AnalysisPlanEditor trialId={trialId} initial={current?.content ?? EXAMPLE_ANALYSIS_PLAN} nextVersion={(current?.version ?? 0) + 1} meaning={plans.signatureMeaning} />
      ) : (
        current && (
          <section className="panel" aria-label="Plan content">
            <h2>Content of version {current.version}</h2>
            <pre style={{ whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(current.content, null, 2)}</pre>
          </section>
        )
      )}
      {simulation && <RandomizationSimulationPanel sim={simulation} />}
      <p>
        <a href={`/dsmb/${trialId}/open`}>Open (pooled) interim report</a>
      </p>
    </AppShell>
  );
}
