import { createRequire } from 'node:module';
import { resample } from '../../imaging/resample';
import type { Volume } from '../../imaging/volume';
import type { ModelCard } from '../registry/model-card';
import { labelVolumesMl, type LabelVolumes } from './label-volumes';
import { largestComponent } from './largest-component';
import { modelGrid, sameGrid } from './model-grid';
import { riskHighGrade } from './risk-high-grade';
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
  readonly runtime: {
    readonly name: 'onnxruntime-node';
    readonly version: string;
    readonly executionProvider: string;
    readonly threads: number;
    readonly fallbacks: readonly { provider: string; error: string }[];
  };
  readonly settings: {
    readonly patch: readonly number[];
    readonly step: number;
    readonly tiling: 'sliding-window' | 'whole-box';
    readonly tta: boolean;
    readonly gaussianSigma: '1/8 patch';
    readonly postprocess: 'none' | 'largest-component';
    readonly modelGrid: { readonly dims: readonly number[]; readonly spacingMm: readonly number[]; readonly resampled: boolean };
    /** Which mask the crop and z-score used. */ readonly brainMask?: 'study brain extraction' | 'non-zero voxels';
  };
  readonly tiles: number;
  readonly normalization: readonly { mean: number; sd: number }[];
  readonly timings: Readonly<Record<string, number>>;
  readonly finishedAt: string;
}

export interface SegmentCaseResult {
  readonly labels: Volume<Uint8Array>;
  readonly volumesMl: LabelVolumes;
  /** P(high grade) from the volumes by the card's risk model; null when the card has none. */
  readonly riskHighGrade: number | null;
  readonly provenance: SegmentationProvenance;
}

const ortVersion: string = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

/**
 * Segments one case whose four sequences already share one grid (co-registered). Checks the grid
 * agreement, resamples the channels (trilinear) onto the model's grid (RAS, the card's spacing; see
 * model-grid.ts) unless the study is on it already, runs the sliding-window inference with the
 * card's patch and step, applies the card's post-processing, brings the labels back onto the study grid (nearest neighbour), and returns
 * them with volumes in mL (on the study grid), the card's risk output and a full provenance record.
 */
export async function segmentCase({
  model,
  card,
  channels,
  inputHashes,
  tta = false,
  onProgress,
  brainMask,
}: {
  model: ModelSession;
  card: ModelCard;
  channels: CaseChannels;
  inputHashes: Record<string, string>;
  tta?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** The study's brain mask on the T1gd grid (ingest's brain extraction): crop and z-score use it. */ brainMask?: Volume<Uint8Array>;
}): Promise<SegmentCaseResult> {
  const ordered = card.input.channels.map((role) => channels[role]);
  const grid = channels.t1gd;
  for (const [i, v] of ordered.entries()) {
    if (v.dims.join() !== grid.dims.join() || v.affine.some((a, k) => Math.abs(a - grid.affine[k]!) > 1e-3)) {
      throw new RangeError(`${card.input.channels[i]} is not on the T1gd grid (dims ${v.dims.join('×')} vs ${grid.dims.join('×')}): co-register the study first`);
    }
  }
  const target = modelGrid(grid, card.input.spacingMm);
  const resampled = !sameGrid(grid, target);
  const t0 = performance.now();
  const modelInputs = resampled ? ordered.map((v) => resample(v, target).data) : ordered.map((v) => v.data);
  if (brainMask && brainMask.dims.join() !== grid.dims.join()) throw new RangeError(`brain mask is ${brainMask.dims.join('×')}, the study grid ${grid.dims.join('×')}`);
  const maskOnModelGrid = brainMask ? (resampled ? resample(brainMask, target, { interpolation: 'nearest' }).data : brainMask.data) : undefined;
  const resampleInMs = performance.now() - t0;
  const outputForm: OutputForm = card.output.form === 'softmax' ? { kind: 'softmax' } : { kind: 'sigmoid-regions', order: card.output.regionOrder ?? ['TC', 'WT', 'ET'] };
  const result = await segmentVolume(model.session, modelInputs, target.dims, {
    patch: card.inference.patch,
    step: card.inference.step,
    tiling: card.inference.tiling,
    tta,
    outputForm,
    inputName: card.input.name,
    outputName: card.output.name,
    onProgress,
    brainMask: maskOnModelGrid,
  });
  const t1 = performance.now();
  if (card.inference.postprocess === 'largest-component') largestComponent(result.labels, target.dims);
  const onModelGrid: Volume<Uint8Array> = { dims: target.dims, spacing: target.spacing, affine: target.affine, data: result.labels };
  const labels: Volume<Uint8Array> = resampled ? resample(onModelGrid, grid, { interpolation: 'nearest' }) : { ...onModelGrid, spacing: grid.spacing };
  const resampleOutMs = performance.now() - t1;
  const volumesMl = labelVolumesMl(labels.data, grid.spacing);
  return {
    labels,
    volumesMl,
    riskHighGrade: riskHighGrade(card.riskModel, volumesMl),
    provenance: {
      model: { name: card.name, version: card.version, sha256: card.sha256 },
      inputs: inputHashes,
      runtime: { name: 'onnxruntime-node', version: ortVersion, executionProvider: model.provider, threads: model.threads, fallbacks: model.fallbacks },
      settings: {
        patch: card.inference.patch,
        step: card.inference.step,
        tiling: card.inference.tiling,
        tta,
        gaussianSigma: '1/8 patch',
        postprocess: card.inference.postprocess,
        modelGrid: { dims: target.dims, spacingMm: target.spacing, resampled },
        brainMask: brainMask ? 'study brain extraction' : 'non-zero voxels',
      },
      tiles: result.tiles,
      normalization: result.normalization,
      timings: { ...result.timings, resampleInMs, resampleOutMs, totalMs: result.timings.totalMs + resampleInMs + resampleOutMs },
      finishedAt: new Date().toISOString(),
    },
  };
}
