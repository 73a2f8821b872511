import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readSeries } from '@/imaging/dicom/read-series';
import { sequenceRoles, type SequenceRole } from '@/imaging/ingest/ingest';
import { AppError } from '../../errors';
import type { DicomWebClient } from './dicomweb-client';

/** One retrieved instance, as the ingest child reads it: its name (said in refusals) and where it lies under `root`. */
export interface RetrievedFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
}

/**
 * Retrieves the four confirmed series of a study over WADO-RS into `root/dir/<role>/`, each instance
 * written to disk as it arrives (the multipart body is never buffered whole), then checks each
 * series as DICOM (imaging/dicom/read-series.ts: missing slice, uneven spacing, mixed orientation,
 * enhanced multi-frame, another study), refused by name with the series and slice. The files are
 * named after the series description, so ingest's refusals say which series too.
 * `onInstance` is called after every instance with the running counts.
 */
export async function retrievePacsSeries({
  client,
  studyInstanceUid,
  series,
  root,
  dir,
  onInstance,
}: {
  client: DicomWebClient;
  studyInstanceUid: string;
  series: Readonly<Record<SequenceRole, string>>;
  root: string;
  dir: string;
  onInstance?: (counts: { instances: number; bytes: number; role: SequenceRole }) => void;
}): Promise<{ files: Record<SequenceRole, RetrievedFile[]>; instances: number; bytes: number }> {
  const uids = sequenceRoles.map((r) => series[r]);
  if (uids.some((u) => !u) || new Set(uids).size !== uids.length) throw new AppError('INVALID_INPUT', 'Choose a different series for each of FLAIR, T1, T1gd and T2.');
  let instances = 0;
  let bytes = 0;
  const files = {} as Record<SequenceRole, RetrievedFile[]>;
  for (const role of sequenceRoles) {
    const relative = path.join(dir, role);
    const full = path.join(root, relative);
    await mkdir(full, { recursive: true });
    let n = 0;
    await client.retrieveSeries(
      studyInstanceUid,
      series[role],
      async (instance) => {
        await writeFile(path.join(full, `${String(++n).padStart(5, '0')}.dcm`), instance);
        instances++;
        onInstance?.({ instances, bytes, role });
      },
      (chunk) => (bytes += chunk),
    );
    if (n === 0) throw new AppError('INVALID_INPUT', `The PACS returned no instances for the ${role} series (${series[role]}).`);
    // One series at a time in memory for the checks (the ingest child reads it again on its own).
    const names = (await readdir(full)).sort();
    const read = await Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(full, name))) })));
    const header = readSeries(read, `${role} series (${series[role]})`);
    if (header.studyInstanceUid !== studyInstanceUid) throw new AppError('INVALID_INPUT', `The ${role} series (${series[role]}) belongs to another study.`);
    const folder = (header.seriesDescription || role).replace(/[^\w .+-]/g, '_');
    files[role] = read.map((f) => ({ name: `${folder}/${f.name}`, path: path.join(relative, f.name), bytes: f.bytes.length }));
  }
  return { files, instances, bytes };
}
