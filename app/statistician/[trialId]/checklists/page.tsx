import '../../statistician.css';
import { notFound, redirect } from 'next/navigation';
import { AppShell } from '@/app/_components/AppShell';
import { api, requireRole } from '@/app/_lib/session';
import { ReportNav } from '../../_components/ReportNav';
import { AnalysisPlanLine } from '../../_components/ReportSections';

export const dynamic = 'force-dynamic';

function Checklist({
  title,
  testId,
  items,
  csv,
  file,
}: {
  title: string;
  testId: string;
  items: readonly { item: string; section: string; text: string; answer: string | null; source: string }[];
  csv: string;
  file: string;
}) {
  const missing = items.filter((i) => i.answer === null).length;
  return (
    <section className="panel" aria-label={title} data-testid={testId} data-missing={missing}>
      <h2>
        {title}{' '}
        <a className="exports" href={`data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`} download={file}>
          CSV
        </a>
      </h2>
      <p className="muted small">
        {items.length - missing} of {items.length} AI-specific items filled from the platform&apos;s records; {missing} missing (write them by hand).
      </p>
      <table>
        <thead>
          <tr>
            <th>Item</th>
            <th>Section</th>
            <th>Asks for</th>
            <th>From the platform</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.item} data-status={i.answer === null ? 'missing' : 'filled'}>
              <td>{i.item}</td>
              <td>{i.section}</td>
              <td>{i.text}</td>
              <td>{i.answer ?? <strong className="warning">missing</strong>}</td>
              <td className="muted small">{i.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** CONSORT-AI (report) and SPIRIT-AI (protocol) items, filled from what the platform records. */
export default async function ChecklistsPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(trialId)) notFound();
  const caller = await api();
  const [trial, lists] = await Promise.all([caller.trials.get({ trialId }), caller.analytics.checklists({ trialId })]).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code === 'NOT_FOUND') notFound();
    if (code === 'PRECONDITION_FAILED') redirect(`/statistician/${trialId}/plan`);
    throw error;
  });
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: trial.name, status: trial.status }} current="checklists" />
      <AnalysisPlanLine plan={lists.analysisPlan} trialId={trialId} />
      <Checklist title="CONSORT-AI (trial report)" testId="consort-ai" items={lists.consortAi} csv={lists.csv.consortAi} file="consort-ai.csv" />
      <Checklist title="SPIRIT-AI (protocol)" testId="spirit-ai" items={lists.spiritAi} csv={lists.csv.spiritAi} file="spirit-ai.csv" />
    </AppShell>
  );
}
