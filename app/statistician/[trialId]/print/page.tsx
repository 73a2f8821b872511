import '../../statistician.css';
import { requireRole } from '@/app/_lib/session';
import { ChartsReady } from '../../_components/ChartsReady';
import {
  ArmComparisonSection,
  ConsortSection,
  DecisionCurvesSection,
  ExportsSection,
  ForestSection,
  InteractionSection,
  MethodsSection,
  ModelSubgroupSection,
  PerSiteSection,
  SnapshotLine,
  ValidationSection,
} from '../../_components/ReportSections';
import { loadReport } from '../../_components/load-report';
import { InterimSection, SurvivalSection } from '../../_components/SurvivalSections';

export const dynamic = 'force-dynamic';

/** The whole report on one page, for Chromium to print to PDF (server/domain/analytics/render-report-pdf.ts). */
export default async function PrintReport({ params }: { params: Promise<{ trialId: string }> }) {
  await requireRole('statistician', 'admin', 'monitor');
  const { trialId } = await params;
  const data = await loadReport(trialId);
  return (
    <main className="print-report">
      <ChartsReady snapshot={data.report.snapshot}>
        <h1>{data.report.trial.name}: analysis report</h1>
        <SnapshotLine report={data.report} plan={data.analysisPlan} />
        <SurvivalSection data={data} primary />
        <ArmComparisonSection data={data} trialId={trialId} />
        <InterimSection data={data} />
        <ConsortSection consort={data.consort} />
        <DecisionCurvesSection data={data} trialId={trialId} />
        <ForestSection data={data} trialId={trialId} />
        <ModelSubgroupSection data={data} trialId={trialId} />
        <ValidationSection data={data} trialId={trialId} />
        <InteractionSection data={data} trialId={trialId} />
        <PerSiteSection data={data} trialId={trialId} />
        <MethodsSection data={data} />
        <ExportsSection data={data} trialId={trialId} />
      </ChartsReady>
    </main>
  );
}
