import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../../db/client';
import { pacsStudySources } from '../../../db/schema';
import { readSeries } from '../../../imaging/dicom/read-series';
import type { IngestFile } from '../../../imaging/ingest/decode';
import { sequenceRoles, type SequenceRole } from '../../../imaging/ingest/ingest';
import type { ContentStore } from '../../../imaging/storage/content-store';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { attachStudy } from '../imaging/attach-study';
import type { TrialAccess } from '../trials/trial-access';
import type { DicomWebClient } from './dicomweb-client';
import { asPacsAppError } from './pacs-errors';

export interface RetrieveProgress {
  readonly phase: 'retrieving' | 'checking' | 'ingesting' | 'done';
  readonly role: SequenceRole | null;
  /** Instances and bytes received so far (all series). */
  readonly instances: number;
  readonly bytes: number;
  readonly seriesDone: number;
}

export interface RetrievePacsStudyOptions {
  readonly db: Database;
  readonly store: ContentStore;
  readonly client: DicomWebClient;
  readonly access: TrialAccess;
  readonly participantId: string;
  readonly studyInstanceUid: string;
  /** The confirmed series per sequence (Series Instance UIDs of this study). */
  readonly series: Readonly<Record<SequenceRole, string>>;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
  readonly onProgress?: (progress: RetrieveProgress) => void;
}

/**
 * Retrieves the four confirmed series of a PACS study (WADO-RS, each instance streamed to a private
 * temporary folder as it arrives) and ingests them through the same path as an upload
 * (attachStudy: validated, de-identified at the door — nothing of the DICOM headers is kept but
 * voxels and geometry —, co-registered, queued for segmentation). Before ingest each series passes
 * the DICOM checks (./imaging/dicom/read-series.ts: missing slice, spacing, orientation,
 * multi-frame, localizer), refused by name with the series and slice.
 *
 * Atomicity: nothing reaches the database or the store until every series has arrived and passed;
 * a PACS that fails mid-transfer (PACS_UNAVAILABLE, 503) leaves no study and no temporary files.
 * The link to the DICOM study and series UIDs (pacs_study_sources, for SEG/SR going back) is written
 * with its audit row right after the study.
 */
export async function retrievePacsStudy(options: RetrievePacsStudyOptions) {
  const { client, studyInstanceUid, series } = options;
  const uids = sequenceRoles.map((r) => series[r]);
  if (uids.some((u) => !u) || new Set(uids).size !== uids.length) throw new AppError('INVALID_INPUT', 'Choose a different series for each of FLAIR, T1, T1gd and T2.');
  const work = await mkdtemp(path.join(os.tmpdir(), 'segtrial-pacs-'));
  let instances = 0;
  let bytes = 0;
  let seriesDone = 0;
  const progress = (phase: RetrieveProgress['phase'], role: SequenceRole | null) => options.onProgress?.({ phase, role, instances, bytes, seriesDone });
  try {
    const files = {} as Record<SequenceRole, IngestFile[]>;
    for (const role of sequenceRoles) {
      const dir = path.join(work, role);
      await mkdir(dir);
      let n = 0;
      progress('retrieving', role);
      await client.retrieveSeries(
        studyInstanceUid,
        series[role],
        async (instance) => {
          await writeFile(path.join(dir, `${String(++n).padStart(5, '0')}.dcm`), instance);
          instances++;
          progress('retrieving', role);
        },
        (chunk) => (bytes += chunk),
      );
      if (n === 0) throw new AppError('INVALID_INPUT', `The PACS returned no instances for the ${role} series (${series[role]}).`);
      seriesDone++;
      progress('checking', role);
      const names = (await readdir(dir)).sort();
      const read = await Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(path.join(dir, name))) })));
      const header = readSeries(read, `${role} series (${series[role]})`);
      if (header.studyInstanceUid !== studyInstanceUid) throw new AppError('INVALID_INPUT', `The ${role} series (${series[role]}) belongs to another study.`);
      // Name the files after the series description: ingest messages then say which series.
      const folder = (header.seriesDescription || role).replace(/[^\w .+-]/g, '_');
      files[role] = read.map((f) => ({ name: `${folder}/${f.name}`, bytes: f.bytes }));
    }
    progress('ingesting', null);
    const result = await attachStudy({ db: options.db, store: options.store, access: options.access, participantId: options.participantId, files, actor: options.actor, request: options.request });
    await options.db.transaction(async (tx) => {
      await tx.insert(pacsStudySources).values({ studyId: result.studyId, studyInstanceUid, series: { ...series }, retrievedBy: options.actor.userId });
      await writeAuditEvent({
        tx,
        actor: options.actor,
        action: 'pacs.study_retrieved',
        entityType: 'study',
        entityId: result.studyId,
        trialId: options.access.trialId,
        after: { participantId: options.participantId, studyInstanceUid, series, instances, bytes },
        request: options.request,
      });
    });
    progress('done', null);
    return { ...result, instances, bytes };
  } catch (e) {
    throw asPacsAppError(e);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
