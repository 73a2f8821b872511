import { forbidden, notFound, redirect } from 'next/navigation';

/** A DSMB page's API call: NOT_FOUND → 404, a refused role → 403, no signed analysis plan → the plan page. */
export async function loadDsmb<T>(trialId: string, call: () => Promise<T>): Promise<T> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(trialId)) notFound();
  try {
    return await call();
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? (error as { code: string }).code : null;
    if (code === 'NOT_FOUND') notFound();
    if (code === 'FORBIDDEN') forbidden();
    if (code === 'PRECONDITION_FAILED') redirect(`/statistician/${trialId}/plan`);
    throw error;
  }
}
