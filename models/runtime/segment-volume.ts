import * as ort from 'onnxruntime-node';
import type { Dims } from '../../imaging/volume';
import { gaussianImportance, tileOrigins, type Size3 } from './sliding-window';
import { prepareInput } from './preprocess';

/** How a model's output maps to labels 0..3 (declared in its model card, checked at registration). */
export type OutputForm =
  /** `logits` over [background, edema, non-enhancing, enhancing]: argmax. */
  | { readonly kind: 'softmax' }
  /** Sigmoid logits of the nested regions in the given order (e.g. TC, WT, ET as in MONAI's BraTS models). */
  | { readonly kind: 'sigmoid-regions'; readonly order: readonly ('WT' | 'TC' | 'ET')[]; readonly threshold?: number };

export interface SegmentOptions {
  /** Sliding-window tile size; with `tiling: 'whole-box'` only a floor for a box smaller than it. */
  readonly patch: Size3;
  /**
   * 'sliding-window' (default): `patch`-sized tiles `step` apart, Gaussian-blended. 'whole-box': one
   * pass over the brain's bounding box, padded up to a multiple of `boxMultiple` per axis (the
   * network is fully convolutional; its pooling needs the multiple), no overlap and no blending.
   */
  readonly tiling?: 'sliding-window' | 'whole-box';
  /** 2^(pooling levels): 8 for the shipped 3-level U-Net. */
  readonly boxMultiple?: number;
  /** Distance between tile starts as a fraction of the patch (0.5: half-overlapping). */
  readonly step: number;
  /** Mirroring test-time augmentation: average over all 8 flips of the three axes. */
  readonly tta: boolean;
  readonly outputForm: OutputForm;
  readonly inputName?: string;
  readonly outputName?: string;
  readonly onProgress?: (done: number, total: number) => void;
  /** The study's brain mask on `dims` (1 inside); without it, the non-zero voxels (see preprocess.ts). */
  readonly brainMask?: Uint8Array;
}

export interface SegmentResult {
  /** Labels 0..3 on the input grid, x fastest. */
  readonly labels: Uint8Array;
  readonly tiles: number;
  readonly timings: { preprocessMs: number; computeMs: number; blendMs: number; postprocessMs: number; totalMs: number };
  readonly normalization: readonly { mean: number; sd: number }[];
}

const CHANNELS = 4;
const FLIPS: readonly (readonly [boolean, boolean, boolean])[] = [
  [false, false, false],
  [true, false, false],
  [false, true, false],
  [false, false, true],
  [true, true, false],
  [true, false, true],
  [false, true, true],
  [true, true, true],
];

/**
 * Segments one co-registered case: preprocess (crop to brain, z-score), pad to the patch, run the
 * model on half-overlapping tiles, blend logits with a Gaussian importance map, optionally average
 * mirrored predictions, take argmax (or region thresholds), and put the labels back on the full grid.
 * `channels` are [FLAIR, T1, T1gd, T2], each x fastest on `dims`.
 */
export async function segmentVolume(session: ort.InferenceSession, channels: readonly Float32Array[], dims: Dims, options: SegmentOptions): Promise<SegmentResult> {
  if (channels.length !== CHANNELS) throw new RangeError(`expected 4 channels [FLAIR, T1, T1gd, T2]; got ${channels.length}`);
  const t0 = performance.now();
  const input = prepareInput(channels, dims, options.brainMask);
  if (options.tiling === 'whole-box') return segmentWholeBox(session, input, dims, options, t0);
  const size: [number, number, number] = [Math.max(input.size[0], options.patch[0]), Math.max(input.size[1], options.patch[1]), Math.max(input.size[2], options.patch[2])];
  const padded = padChannels(input.data, input.size, size);
  const n = size[0] * size[1] * size[2];
  const accum = new Float32Array(CHANNELS * n);
  const weights = new Float32Array(n);
  const gaussian = gaussianImportance(options.patch);
  const origins = tileOrigins(size, options.patch, options.step);
  const [px, py, pz] = options.patch;
  const pn = px * py * pz;
  const tileIn = new Float32Array(CHANNELS * pn);
  const flips = options.tta ? FLIPS : FLIPS.slice(0, 1);
  const inputName = options.inputName ?? 'image';
  const outputName = options.outputName ?? 'logits';
  const t1 = performance.now();
  let computeMs = 0;
  let blendMs = 0;

  for (let t = 0; t < origins.length; t++) {
    const origin = origins[t]!;
    const b0 = performance.now();
    addImportance(weights, size, gaussian, options.patch, origin);
    blendMs += performance.now() - b0;
    for (const flip of flips) {
      const b1 = performance.now();
      copyTile(padded, size, tileIn, options.patch, origin, flip);
      const b2 = performance.now();
      const feeds = { [inputName]: new ort.Tensor('float32', tileIn, [1, CHANNELS, pz, py, px]) };
      const out = await session.run(feeds);
      const logits = out[outputName];
      if (!logits) throw new Error(`the model has no output named '${outputName}'`);
      const b3 = performance.now();
      // Straight from the model's output into the accumulator (unflipping on the way): no per-tile copy.
      blendTile(logits.data as Float32Array, accum, size, gaussian, options.patch, origin, flip, 1 / flips.length);
      logits.dispose();
      blendMs += b2 - b1 + (performance.now() - b3);
      computeMs += b3 - b2;
    }
    options.onProgress?.(t + 1, origins.length);
  }

  const t2 = performance.now();
  const labels = new Uint8Array(dims[0] * dims[1] * dims[2]);
  const [bx, by, bz] = input.box.min;
  for (let z = 0; z < input.size[2]; z++)
    for (let y = 0; y < input.size[1]; y++)
      for (let x = 0; x < input.size[0]; x++) {
        const j = x + size[0] * (y + size[1] * z);
        const w = weights[j]!;
        const label = decide(options.outputForm, (c) => accum[c * n + j]! / w);
        labels[bx + x + dims[0] * (by + y + dims[1] * (bz + z))] = label;
      }
  const t3 = performance.now();
  return {
    labels,
    tiles: origins.length,
    normalization: input.stats,
    timings: { preprocessMs: t1 - t0, computeMs, blendMs, postprocessMs: t3 - t2, totalMs: t3 - t0 },
  };
}

/** Size of the single whole-box tile: the box rounded up to `multiple` per axis. */
export function wholeBoxSize(box: Size3, multiple: number): [number, number, number] {
  return [Math.ceil(box[0] / multiple) * multiple, Math.ceil(box[1] / multiple) * multiple, Math.ceil(box[2] / multiple) * multiple];
}

/**
 * One network pass over the padded brain box (TTA: one per flip, averaged). No Gaussian weights:
 * with a single tile every voxel has one prediction, so blending would divide by what it multiplied.
 */
async function segmentWholeBox(session: ort.InferenceSession, input: ReturnType<typeof prepareInput>, dims: Dims, options: SegmentOptions, t0: number): Promise<SegmentResult> {
  const size = wholeBoxSize(input.size, options.boxMultiple ?? 8);
  const padded = padChannels(input.data, input.size, size);
  const n = size[0] * size[1] * size[2];
  const flips = options.tta ? FLIPS : FLIPS.slice(0, 1);
  const inputName = options.inputName ?? 'image';
  const outputName = options.outputName ?? 'logits';
  const t1 = performance.now();
  let computeMs = 0;
  let blendMs = 0;
  let scores: Float32Array = padded;
  let accum: Float32Array | null = null;
  let ones: Float32Array | null = null;
  const tileIn = flips.length > 1 ? new Float32Array(CHANNELS * n) : padded;
  const origin: Size3 = [0, 0, 0];
  for (const flip of flips) {
    const b1 = performance.now();
    if (flips.length > 1) copyTile(padded, size, tileIn, size, origin, flip);
    const b2 = performance.now();
    const out = await session.run({ [inputName]: new ort.Tensor('float32', tileIn, [1, CHANNELS, size[2], size[1], size[0]]) });
    const logits = out[outputName];
    if (!logits) throw new Error(`the model has no output named '${outputName}'`);
    const b3 = performance.now();
    computeMs += b3 - b2;
    if (flips.length === 1) scores = logits.data as Float32Array;
    else {
      accum ??= new Float32Array(CHANNELS * n);
      ones ??= new Float32Array(n).fill(1);
      blendTile(logits.data as Float32Array, accum, size, ones, size, origin, flip, 1 / flips.length);
      logits.dispose();
      scores = accum;
    }
    blendMs += b2 - b1 + (performance.now() - b3);
  }
  options.onProgress?.(1, 1);
  const t2 = performance.now();
  const labels = new Uint8Array(dims[0] * dims[1] * dims[2]);
  const [bx, by, bz] = input.box.min;
  for (let z = 0; z < input.size[2]; z++)
    for (let y = 0; y < input.size[1]; y++)
      for (let x = 0; x < input.size[0]; x++) {
        const j = x + size[0] * (y + size[1] * z);
        labels[bx + x + dims[0] * (by + y + dims[1] * (bz + z))] = decide(options.outputForm, (c) => scores[c * n + j]!);
      }
  const t3 = performance.now();
  return {
    labels,
    tiles: 1,
    normalization: input.stats,
    timings: { preprocessMs: t1 - t0, computeMs, blendMs, postprocessMs: t3 - t2, totalMs: t3 - t0 },
  };
}

function decide(form: OutputForm, logit: (c: number) => number): number {
  if (form.kind === 'softmax') {
    let best = 0;
    let bestValue = logit(0);
    for (let c = 1; c < CHANNELS; c++) {
      const v = logit(c);
      if (v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    return best;
  }
  // Regions are nested: ET ⊂ TC ⊂ WT. Thresholds on sigmoid(logit) = logit > logit(threshold).
  const cut = Math.log((form.threshold ?? 0.5) / (1 - (form.threshold ?? 0.5)));
  const on = (region: 'WT' | 'TC' | 'ET') => logit(form.order.indexOf(region)) > cut;
  if (!on('WT')) return 0;
  if (on('ET')) return 3;
  if (on('TC')) return 2;
  return 1;
}

/** Pads each of the four channels (x fastest on `from`) with zeros to `to`; the same array when no padding is needed. */
export function padChannels(data: Float32Array, from: Size3, to: Size3): Float32Array {
  if (from[0] === to[0] && from[1] === to[1] && from[2] === to[2]) return data;
  const nFrom = from[0] * from[1] * from[2];
  const nTo = to[0] * to[1] * to[2];
  const out = new Float32Array(CHANNELS * nTo);
  for (let c = 0; c < CHANNELS; c++)
    for (let z = 0; z < from[2]; z++)
      for (let y = 0; y < from[1]; y++) {
        const src = c * nFrom + from[0] * (y + from[1] * z);
        out.set(data.subarray(src, src + from[0]), c * nTo + to[0] * (y + to[1] * z));
      }
  return out;
}

/** Copies one patch at `origin` of the padded channels into `dst`, flipped along the axes `flip` marks. */
export function copyTile(src: Float32Array, size: Size3, dst: Float32Array, patch: Size3, origin: Size3, flip: readonly [boolean, boolean, boolean]): void {
  const n = size[0] * size[1] * size[2];
  const [px, py, pz] = patch;
  const pn = px * py * pz;
  for (let c = 0; c < CHANNELS; c++)
    for (let z = 0; z < pz; z++)
      for (let y = 0; y < py; y++) {
        const sz = origin[2] + (flip[2] ? pz - 1 - z : z);
        const sy = origin[1] + (flip[1] ? py - 1 - y : y);
        const row = c * n + origin[0] + size[0] * (sy + size[1] * sz);
        const out = c * pn + px * (y + py * z);
        if (!flip[0]) dst.set(src.subarray(row, row + px), out);
        else for (let x = 0; x < px; x++) dst[out + x] = src[row + px - 1 - x]!;
      }
}

/** Adds the Gaussian importance of one tile to the blending weights (once per tile, whatever the flips). */
function addImportance(weights: Float32Array, size: Size3, gaussian: Float32Array, patch: Size3, origin: Size3): void {
  const [px, py, pz] = patch;
  for (let z = 0; z < pz; z++)
    for (let y = 0; y < py; y++) {
      const rowOut = origin[0] + size[0] * (origin[1] + y + size[1] * (origin[2] + z));
      const rowTile = px * (y + py * z);
      for (let x = 0; x < px; x++) weights[rowOut + x]! += gaussian[rowTile + x]!;
    }
}

/**
 * Adds one tile's logits, computed on the tile flipped by `flip`, to the accumulator at `origin`,
 * unflipped and weighted by the Gaussian importance times `scale` (1 / number of flips).
 */
function blendTile(logits: Float32Array, accum: Float32Array, size: Size3, gaussian: Float32Array, patch: Size3, origin: Size3, flip: readonly [boolean, boolean, boolean], scale: number): void {
  const n = size[0] * size[1] * size[2];
  const [px, py, pz] = patch;
  const pn = px * py * pz;
  for (let c = 0; c < CHANNELS; c++)
    for (let z = 0; z < pz; z++)
      for (let y = 0; y < py; y++) {
        // Logit row (y, z) of the flipped tile lands on row (dy, dz) of the unflipped one.
        const dz = flip[2] ? pz - 1 - z : z;
        const dy = flip[1] ? py - 1 - y : y;
        const src = c * pn + px * (y + py * z);
        const tileRow = px * (dy + py * dz);
        const out = c * n + origin[0] + size[0] * (origin[1] + dy + size[1] * (origin[2] + dz));
        if (!flip[0]) for (let x = 0; x < px; x++) accum[out + x]! += logits[src + x]! * gaussian[tileRow + x]! * scale;
        else for (let x = 0; x < px; x++) accum[out + px - 1 - x]! += logits[src + x]! * gaussian[tileRow + px - 1 - x]! * scale;
      }
}
