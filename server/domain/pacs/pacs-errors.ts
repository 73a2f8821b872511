import { AppError } from '../../errors';
import { DicomSeriesError } from '@/imaging/dicom/errors';
import { PacsRequestError, PacsUnavailableError } from './dicomweb-client';

/**
 * PACS and DICOM failures as the AppErrors clients see: unreachable or slow → PACS_UNAVAILABLE (503,
 * retry); a series refused by the checks → INVALID_INPUT naming series and slice; a request the PACS
 * refused (4xx) → INVALID_INPUT. Anything else is rethrown as is (a 500 that is logged).
 */
export function asPacsAppError(e: unknown): unknown {
  if (e instanceof AppError) return e;
  if (e instanceof PacsUnavailableError) return new AppError('PACS_UNAVAILABLE', `${e.message} Nothing was stored; try again shortly.`, { reason: e.reason });
  if (e instanceof DicomSeriesError)
    return new AppError('INVALID_INPUT', e.message, { dicomCode: e.code, series: e.series, slice: e.slice, field: e.field, found: String(e.found), expected: e.expected });
  if (e instanceof PacsRequestError) return new AppError('INVALID_INPUT', `${e.message} ${e.body.slice(0, 200)}`, { status: e.status });
  return e;
}
