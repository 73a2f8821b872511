import '../../statistician.css';
import { AppShell } from '@/app/_components/AppShell';
import { api, requireRole } from '@/app/_lib/session';
import { DicomResultsPanel } from '../../_components/DicomResultsPanel';
import { ReportNav } from '../../_components/ReportNav';

export const dynamic = 'force-dynamic';

/** The trial's results as DICOM SEG and SR, to download or send to the PACS (issue: results out as standard objects). */
export default async function DicomResultsPage({ params }: { params: Promise<{ trialId: string }> }) {
  const user = await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const trial = await (await api()).trials.get({ trialId });
  return (
    <AppShell user={user} current="/statistician">
      <ReportNav trial={{ id: trialId, name: trial.name, status: trial.status }} current="dicom" />
      {user.role === 'monitor' ? (
        <section className="panel">
          <p className="muted">Statisticians and administrators download the trial&apos;s results as DICOM SEG and SR, and send them to the PACS.</p>
        </section>
      ) : (
        <DicomResultsPanel trialId={trialId} />
      )}
    </AppShell>
  );
}
