import { createRequire } from 'node:module';
import type { Volume } from '../../imaging/volume';
import type { ModelCard } from '../registry/model-card';
import { labelVolumesMl, type LabelVolumes } from './label-volumes';
import type { ModelSession } from './onnx-session';
import { segmentVolume, type OutputForm } from './segment-volume';

export interface CaseChannels {
  readonly flair: Volume<Float32Array>;
  readonly t1: Volume<Float32Array>;
  readonly t1gd: Volume<Float32Array>;
  readonly t2: Volume<Float32Array>;
}

export interface SegmentationProvenance {
  readonly model: { readonly name: string; readonly version: string; readonly sha256: string };
  /** SHA-256 of each input as the caller knows it (stored files). */
  readonly inputs: Readonly<Record<string, string>>;
  readonly runtime: { readonly name: 'onnxruntime-node'; readonly version: string; readonly executionProvider: string; readonly threads: number; readonly fallbacks: readonly { provider: string; error: string }[] };
  readonly settings: { readonly patch: readonly number[]; readonly step: number; readonly tta: boolean; readonly gaussianSigma: '1/8 patch' };
  readonly tiles: number;
  readonly normalization: readonly { mean: number; sd: number }[];
  readonly timings: Readonly<Record<string, number>>;
  readonly finishedAt: string;
}

export interface SegmentCaseResult {
  readonly labels: Volume<Uint8Array>;
  readonly volumesMl: LabelVolumes;
  readonly provenance: SegmentationProvenance;
}

const ortVersion: string = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

/**
 * Segments one case whose four sequences already share one grid (co-registered). Checks the grid
 * agreement, runs the sliding-window inference with the card's patch and step, and returns the
 * label volume on the same grid with volumes in mL and a full provenance record.
 */
export async function segmentCase({ model, card, channels, inputHashes, tta = false, onProgress }: { model: ModelSession; card: ModelCard; channels: CaseChannels; inputHashes: Record<string, string>; tta?: boolean; onProgress?: (done: number, total: number) => void }): Promise<SegmentCaseResult> {
  const ordered = card.input.channels.map((role) => channels[role]);
  const grid = channels.t1gd;
  for (const [i, v] of ordered.entries()) {
    if (v.dims.join() !== grid.dims.join() || v.affine.some((a, k) => Math.abs(a - grid.affine[k]!) > 1e-3)) {
      throw new RangeError(`${card.input.channels[i]} is not on the T1gd grid (dims ${v.dims.join('×')} vs ${grid.dims.join('×')}): co-register the study first`);
    }
  }
  const outputForm: OutputForm = card.output.form === 'softmax' ? { kind: 'softmax' } : { kind: 'sigmoid-regions', order: card.output.regionOrder ?? ['TC', 'WT', 'ET'] };
  const result = await segmentVolume(
    model.session,
    ordered.map((v) => v.data),
    grid.dims,
    { patch: card.inference.patch, step: card.inference.step, tta, outputForm, inputName: card.input.name, outputName: card.output.name, onProgress },
  );
  const labels: Volume<Uint8Array> = { dims: grid.dims, spacing: grid.spacing, affine: grid.affine, data: result.labels };
  return {
    labels,
    volumesMl: labelVolumesMl(result.labels, grid.spacing),
    provenance: {
      model: { name: card.name, version: card.version, sha256: card.sha256 },
      inputs: inputHashes,
      runtime: { name: 'onnxruntime-node', version: ortVersion, executionProvider: model.provider, threads: model.threads, fallbacks: model.fallbacks },
      settings: { patch: card.inference.patch, step: card.inference.step, tta, gaussianSigma: '1/8 patch' },
      tiles: result.tiles,
      normalization: result.normalization,
      timings: result.timings,
      finishedAt: new Date().toISOString(),
    },
  };
}
