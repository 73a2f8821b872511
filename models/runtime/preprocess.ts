/**
 * The model's input preparation, identical to training (see the model card's `preprocessing`):
 * brain mask = the study's brain-extraction mask when given (imaging/brain/extract-brain.ts, stored
 * by ingest), else the voxels where any channel is nonzero (right for skull-stripped input with a
 * zero background, as the training data; wrong for a skull-on scan or a noisy background, where it
 * covers the whole head or field of view); crop to the mask's bounding box; per channel, z-score
 * over the mask (mean 0, SD 1); 0 outside the mask, so skull and scalp never reach the model.
 * Channels are [FLAIR, T1, T1gd, T2] on one grid, each a Float32Array with x fastest (imaging/volume.ts).
 */
import type { Dims } from '../../imaging/volume';

export interface BoundingBox {
  readonly min: [number, number, number];
  /** Exclusive. */
  readonly max: [number, number, number];
}

export interface PreparedInput {
  /** The crop: channel-major [4][z][y][x] of the cropped box, z-scored. */
  readonly data: Float32Array;
  readonly size: [number, number, number];
  readonly box: BoundingBox;
  /** Per-channel mean and SD inside the mask (provenance). */
  readonly stats: readonly { mean: number; sd: number }[];
}

export class EmptyInputError extends Error {
  constructor() {
    super('All four sequences are zero everywhere: there is no brain to segment.');
    this.name = 'EmptyInputError';
  }
}

export function brainBoundingBox(channels: readonly Float32Array[], dims: Dims, brainMask?: Uint8Array): BoundingBox {
  const [nx, ny, nz] = dims;
  const min: [number, number, number] = [nx, ny, nz];
  const max: [number, number, number] = [0, 0, 0];
  const inside = brainMask ?? anyNonZero(channels);
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++) {
        if (!inside[i]) continue;
        if (x < min[0]) min[0] = x;
        if (y < min[1]) min[1] = y;
        if (z < min[2]) min[2] = z;
        if (x >= max[0]) max[0] = x + 1;
        if (y >= max[1]) max[1] = y + 1;
        if (z >= max[2]) max[2] = z + 1;
      }
  if (max[0] === 0) throw new EmptyInputError();
  return { min, max };
}

/** 1 where any channel is non-zero: one pass per channel, not a closure per voxel (the bounding box is on every case's path). */
function anyNonZero(channels: readonly Float32Array[]): Uint8Array {
  const out = new Uint8Array(channels[0]?.length ?? 0);
  for (const c of channels) for (let i = 0; i < c.length; i++) if (c[i] !== 0) out[i] = 1;
  return out;
}

export function prepareInput(channels: readonly Float32Array[], dims: Dims, brainMask?: Uint8Array): PreparedInput {
  const [nx, ny] = dims;
  if (brainMask && brainMask.length !== channels[0]?.length) throw new RangeError(`brain mask has ${brainMask.length} voxels, the channels ${channels[0]?.length}`);
  const box = brainBoundingBox(channels, dims, brainMask);
  const size: [number, number, number] = [box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]];
  const n = size[0] * size[1] * size[2];
  const data = new Float32Array(channels.length * n);
  const mask = new Uint8Array(n);
  for (let z = 0, j = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, j++) {
        const i = box.min[0] + x + nx * (box.min[1] + y + ny * (box.min[2] + z));
        let any = false;
        for (let c = 0; c < channels.length; c++) {
          const v = channels[c]![i]!;
          data[c * n + j] = v;
          if (v !== 0) any = true;
        }
        mask[j] = (brainMask ? brainMask[i] : any) ? 1 : 0;
      }
  const stats = channels.map((_, c) => {
    let sum = 0;
    let sumSq = 0;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (!mask[j]) continue;
      const v = data[c * n + j]!;
      sum += v;
      sumSq += v * v;
      count++;
    }
    const mean = sum / count;
    const sd = Math.sqrt(Math.max(sumSq / count - mean * mean, 0)) || 1;
    for (let j = 0; j < n; j++) data[c * n + j] = mask[j] ? (data[c * n + j]! - mean) / sd : 0;
    return { mean, sd };
  });
  return { data, size, box, stats };
}
