/**
 * Per-channel z-score normalization inside the brain mask — the model's input. All channels must be on
 * one grid (after registration onto the T1gd). Layout: x fastest (../volume.ts).
 *
 * Mask: the brain mask from brain extraction (`brainMask`, ../brain/extract-brain.ts) where given,
 * intersected with the voxels where every channel is non-zero — nnU-Net's "nonzero" mask, which for
 * skull-stripped MRI (BraTS convention: background exactly 0) is the brain itself, and which also
 * drops the rim that a registered sequence did not cover (resampling fills outside its field of view
 * with 0). Without `brainMask`, the non-zero mask alone (noise in a skull-on image's background makes
 * that the whole field of view: ingest always passes one). For each
 * channel, mean and standard deviation are taken over the mask; normalized = (x − mean) / sd inside
 * the mask and 0 outside. A mask smaller than `minMaskVoxels`, or a channel constant inside it, is
 * refused (IngestError 'constant').
 */
import type { Volume } from '../volume';
import { IngestError } from './errors';

export interface ChannelStats {
  readonly mean: number;
  readonly sd: number;
}

export interface NormalizedChannels<K extends string> {
  readonly volumes: Record<K, Volume<Float32Array>>;
  /** 1 inside the brain mask, 0 outside. */
  readonly mask: Uint8Array;
  readonly maskVoxels: number;
  readonly stats: Record<K, ChannelStats>;
}

export function normalizeChannels<K extends string>(channels: Record<K, Volume<Float32Array>>, options: { minMaskVoxels?: number; brainMask?: Uint8Array } = {}): NormalizedChannels<K> {
  const keys = Object.keys(channels) as K[];
  const first = channels[keys[0]!];
  if (!first) throw new RangeError('normalizeChannels needs at least one channel');
  const n = first.data.length;
  for (const k of keys)
    if (channels[k].data.length !== n || channels[k].dims.some((d, i) => d !== first.dims[i]))
      throw new IngestError('geometry-mismatch', k, 'grid', channels[k].dims.join('×'), `${first.dims.join('×')} (all channels on one grid)`);
  const mask = new Uint8Array(n);
  let maskVoxels = 0;
  for (let i = 0; i < n; i++) {
    let inside = options.brainMask ? (options.brainMask[i] ? 1 : 0) : 1;
    if (inside)
      for (const k of keys)
        if (channels[k].data[i] === 0) {
          inside = 0;
          break;
        }
    mask[i] = inside;
    maskVoxels += inside;
  }
  const minMask = options.minMaskVoxels ?? 1000;
  if (maskVoxels < minMask)
    throw new IngestError(
      'constant',
      keys.join('+'),
      options.brainMask ? 'brain mask (extracted brain, non-zero in every channel)' : 'brain mask (voxels non-zero in every channel)',
      `${maskVoxels} voxels`,
      `at least ${minMask}`,
    );
  const volumes = {} as Record<K, Volume<Float32Array>>;
  const stats = {} as Record<K, ChannelStats>;
  for (const k of keys) {
    const d = channels[k].data;
    let sum = 0;
    for (let i = 0; i < n; i++) if (mask[i]) sum += d[i]!;
    const mean = sum / maskVoxels;
    let ss = 0;
    for (let i = 0; i < n; i++) if (mask[i]) ss += (d[i]! - mean) ** 2;
    const sd = Math.sqrt(ss / maskVoxels);
    if (!(sd > 1e-8 * Math.max(1, Math.abs(mean)))) throw new IngestError('constant', k, 'intensity inside the brain mask', `constant ${mean}`, 'a non-zero standard deviation');
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) if (mask[i]) out[i] = (d[i]! - mean) / sd;
    volumes[k] = { ...channels[k], data: out };
    stats[k] = { mean, sd };
  }
  return { volumes, mask, maskVoxels, stats };
}
