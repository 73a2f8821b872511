import { notFound, redirect } from 'next/navigation';
import { api } from '../../_lib/session';
import type { ReportData } from './ReportSections';

/** The analytics report for a statistician page; a trial the caller may not see (or a malformed id) is a 404. */
export async function loadReport(trialId: string): Promise<ReportData> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trialId)) notFound();
  try {
    return await (await api()).analytics.report({ trialId });
  } catch (error) {
    if (error instanceof Error && 'code' in error && (error as { code: string }).code === 'NOT_FOUND') notFound();
    // No signed analysis plan yet: no arm is compared; the statistician writes and locks it first.
    if (error instanceof Error && 'code' in error && (error as { code: string }).code === 'PRECONDITION_FAILED') redirect(`/statistician/${trialId}/plan`);
    throw error;
  }
}
