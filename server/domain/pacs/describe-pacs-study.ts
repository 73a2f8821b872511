import { allValues, firstValue, type DicomWebClient } from './dicomweb-client';
import { asPacsAppError } from './pacs-errors';
import { suggestSeriesMapping, type SeriesMapping, type SeriesSummary } from './suggest-series-mapping';

export interface PacsStudyDescription {
  readonly studyInstanceUid: string;
  readonly series: SeriesSummary[];
  readonly mapping: SeriesMapping;
}

const numOrNull = (s: string) => (s === '' || !Number.isFinite(Number(s)) ? null : Number(s));

/**
 * A study's series (QIDO-RS) with descriptions and instance counts, the acquisition parameters of
 * one instance of each (WADO-RS metadata: echo, repetition and inversion time, contrast agent,
 * image type, SOP class), and the suggested series per sequence.
 */
export async function describePacsStudy({ client, studyInstanceUid }: { client: DicomWebClient; studyInstanceUid: string }): Promise<PacsStudyDescription> {
  try {
    const found = await client.searchSeries(studyInstanceUid, { includefield: '0008103E,00080060,00200011,00201209' });
    const series: SeriesSummary[] = [];
    for (const s of found) {
      const seriesUid = firstValue(s, '0020000E');
      if (!seriesUid) continue;
      const [first] = await client.searchInstances(studyInstanceUid, seriesUid, { limit: '1' });
      const instanceUid = first ? firstValue(first, '00080018') : '';
      const [meta] = instanceUid ? await client.instanceMetadata(studyInstanceUid, seriesUid, instanceUid) : [];
      const m = meta ?? {};
      const countText = firstValue(s, '00201209');
      series.push({
        seriesInstanceUid: seriesUid,
        seriesNumber: numOrNull(firstValue(s, '00200011')),
        description: firstValue(s, '0008103E') || firstValue(m, '0008103E'),
        protocolName: firstValue(m, '00181030'),
        modality: firstValue(s, '00080060') || firstValue(m, '00080060'),
        instances: countText ? Number(countText) : (await client.searchInstances(studyInstanceUid, seriesUid)).length,
        sopClassUid: firstValue(m, '00080016'),
        imageType: allValues(m, '00080008'),
        frames: numOrNull(firstValue(m, '00280008')) ?? 1,
        echoTime: numOrNull(firstValue(m, '00180081')),
        repetitionTime: numOrNull(firstValue(m, '00180080')),
        inversionTime: numOrNull(firstValue(m, '00180082')),
        contrastAgent: firstValue(m, '00180010'),
        scanningSequence: allValues(m, '00180020'),
      });
    }
    series.sort((a, b) => (a.seriesNumber ?? 0) - (b.seriesNumber ?? 0));
    return { studyInstanceUid, series, mapping: suggestSeriesMapping(series) };
  } catch (e) {
    throw asPacsAppError(e);
  }
}
