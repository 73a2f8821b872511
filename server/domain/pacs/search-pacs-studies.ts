import { AppError } from '../../errors';
import { firstValue, type DicomWebClient } from './dicomweb-client';
import { asPacsAppError } from './pacs-errors';

export interface PacsStudyQuery {
  readonly patientId?: string;
  readonly accessionNumber?: string;
  /** YYYYMMDD or a range YYYYMMDD-YYYYMMDD. */
  readonly studyDate?: string;
}

export interface PacsStudy {
  readonly studyInstanceUid: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly accessionNumber: string;
  readonly studyDate: string;
  readonly description: string;
  readonly modalities: string;
  readonly series: number | null;
  readonly instances: number | null;
}

const num = (s: string) => (s === '' ? null : Number(s));

/**
 * QIDO-RS study search by patient ID, accession number and/or study date (at least one: a PACS is
 * never listed whole). MR studies only. A PACS that cannot be reached is PACS_UNAVAILABLE (503).
 */
export async function searchPacsStudies({ client, query, limit = 50 }: { client: DicomWebClient; query: PacsStudyQuery; limit?: number }): Promise<PacsStudy[]> {
  const q = { PatientID: query.patientId?.trim() ?? '', AccessionNumber: query.accessionNumber?.trim() ?? '', StudyDate: query.studyDate?.trim() ?? '' };
  if (!q.PatientID && !q.AccessionNumber && !q.StudyDate) throw new AppError('INVALID_INPUT', 'Search the PACS by patient ID, accession number or study date.');
  if (q.StudyDate && !/^\d{8}(-\d{8})?$/.test(q.StudyDate)) throw new AppError('INVALID_INPUT', `Study date is ${JSON.stringify(q.StudyDate)}, expected YYYYMMDD or YYYYMMDD-YYYYMMDD.`);
  const found = await client.searchStudies({ ...q, limit: String(limit), includefield: '00081030,00080061,00201206,00201208' }).catch((e: unknown) => {
    throw asPacsAppError(e);
  });
  return found
    .map((d) => ({
      studyInstanceUid: firstValue(d, '0020000D'),
      patientId: firstValue(d, '00100020'),
      patientName: firstValue(d, '00100010'),
      accessionNumber: firstValue(d, '00080050'),
      studyDate: firstValue(d, '00080020'),
      description: firstValue(d, '00081030'),
      modalities: (d['00080061']?.Value ?? []).join(', '),
      series: num(firstValue(d, '00201206')),
      instances: num(firstValue(d, '00201208')),
    }))
    .filter((s) => s.studyInstanceUid && (!s.modalities || s.modalities.includes('MR')))
    .sort((a, b) => (a.studyDate < b.studyDate ? 1 : a.studyDate > b.studyDate ? -1 : 0));
}
