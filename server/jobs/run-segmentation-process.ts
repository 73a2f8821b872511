import type { LabelVolumes } from '../../models/runtime/label-volumes';
import type { SegmentationProvenance } from '../../models/runtime/segment-case';
import { runChildProcess } from './run-child-process';

export interface SegmentationRequest {
  readonly modelPath: string;
  readonly card: unknown;
  /** NIfTI files of the four sequences, already on one grid. */
  readonly inputs: {
    readonly flair: string;
    readonly t1: string;
    readonly t1gd: string;
    readonly t2: string;
    /** The study's brain mask (uint8 NIfTI on the T1gd grid), when ingest made one. */ readonly mask?: string;
  };
  /** Recorded in the provenance instead of the hashes of the files read, when given (e.g. original uploads). */
  readonly inputHashes?: Record<string, string>;
  /** The content store the label map (gzip NIfTI, uint8) is written to. */
  readonly storageRoot: string;
  readonly tta: boolean;
  readonly providers?: readonly string[];
  readonly threads?: number;
}

export interface SegmentationProcessResult {
  readonly volumesMl: LabelVolumes;
  readonly riskHighGrade: number | null;
  readonly provenance: SegmentationProvenance;
  /** The label map's hash in the content store. */
  readonly labelsSha256: string;
}

/** Segments a case in a child process; progress (tiles done / total) through `onProgress`; `signal` kills it. */
export function runSegmentationProcess(request: SegmentationRequest, options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<SegmentationProcessResult> {
  return runChildProcess({ entry: 'server/jobs/segment-process.ts', request, label: 'segmentation process', ...options });
}
