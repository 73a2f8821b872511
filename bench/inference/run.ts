/**
 * Inference benchmark: one whole case (4 sequences, 240×240×155 at 1 mm, a synthetic glioma on
 * Colin27, co-registered) through the runtime's segmentCase with the shipped model on CPU, with
 * mirroring TTA off and on. References measured in the same run, on the same weights and tiles:
 *   - onnxruntime alone: session.run over the same prepared tiles (tensors built beforehand), so
 *     end-to-end / that - 1 is the pipeline's overhead (resampling to the model grid and back,
 *     crop, z-score, tiling, Gaussian blending, argmax);            target <= 15 %
 *   - PyTorch (Debian, CPU, same thread count) sliding-window inference of the same weights on the
 *     same prepared input (bench/inference/reference.py, models/training/inference.py);  target >= 2x
 *   - peak resident memory of this process;                          target <= 2 GB
 *   - the floor: ONE onnxruntime pass over the brain's bounding box on the model grid (padded to a
 *     multiple of 8, no overlap, no TTA; the network is fully convolutional): end to end ÷ floor,
 *                                                                    target <= 1.5x
 *   - where the ratio goes: the tiles' voxels ÷ the box's, and each stage's share of one run;
 *   - tiling variants (larger tiles, fewer overlaps, one whole-box pass): time ÷ the card's tiling
 *     and the labels' Dice against the card's tiling, so the default is chosen on evidence.
 * Every ratio alternates its two sides (A, B, A, B, ...) and reports the median of the per-pair
 * ratios: on a shared machine the load changes between runs, and a ratio of two medians taken at
 * different moments is not a ratio of the same conditions.
 * Label agreement with PyTorch (Dice per region) is printed as a correctness check.
 *
 *   node --import tsx bench/inference/run.ts [--threads 2] [--pairs 3] [--model DIR] [--skip-torch] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { resample } from '../../imaging/resample';
import { gridCentre, type Mat4 } from '../../imaging/volume';
import { modelCardSchema } from '../../models/registry/model-card';
import { SHIPPED_MODEL_DIR } from '../../models/registry/shipped-model';
import { modelGrid } from '../../models/runtime/model-grid';
import { openModelSession } from '../../models/runtime/onnx-session';
import { prepareInput } from '../../models/runtime/preprocess';
import { segmentCase, type CaseChannels } from '../../models/runtime/segment-case';
import { copyTile, padChannels, segmentVolume } from '../../models/runtime/segment-volume';
import { tileOrigins, type Size3 } from '../../models/runtime/sliding-window';
import { median } from '../lib/median';

const { values } = parseArgs({
  options: {
    threads: { type: 'string', default: '2' },
    pairs: { type: 'string', default: '3' },
    model: { type: 'string', default: SHIPPED_MODEL_DIR },
    'skip-torch': { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
// --quick: one run of each older measurement, no TTA and no PyTorch (a shared machine: the floor and tiling ratios are the point).
const reps = values.quick ? 1 : 3;
const threads = Number(values.threads);
const pairs = Number(values.pairs);
const MODEL_DIR = values.model;
const card = modelCardSchema.parse(JSON.parse(await readFile(path.join(MODEL_DIR, 'model-card.json'), 'utf8')));
const roles = ['flair', 't1', 't1gd', 't2'] as const;

console.log('making the case: a synthetic glioma on Colin27, resampled to 240×240×155 at 1 mm …');
const subject = await generateSubject({ seed: 'bench-inference', index: 0, site: 'site-a', size: 'full', grid: 'canonical', misalign: false });
const centre = gridCentre(subject.canonical);
const dims = [240, 240, 155] as const;
const affine: Mat4 = [1, 0, 0, centre[0] - (dims[0] - 1) / 2, 0, 1, 0, centre[1] - (dims[1] - 1) / 2, 0, 0, 1, centre[2] - (dims[2] - 1) / 2, 0, 0, 0, 1];
const channels = Object.fromEntries(roles.map((r) => [r, resample(subject.images[r], { dims, affine })])) as unknown as CaseChannels;
const labelTruth = resample(subject.label, { dims, affine }, { interpolation: 'nearest' });

const model = await openModelSession(path.join(MODEL_DIR, 'model.onnx'), { providers: ['cpu'], threads, log: () => {} });
// Warm-up (first-run allocations and kernel selection), not timed.
await segmentCase({ model, card, channels, inputHashes: {} });

const e2e: number[] = [];
let result = await segmentCase({ model, card, channels, inputHashes: {} });
for (let run = 0; run < reps; run++) {
  const t0 = performance.now();
  result = await segmentCase({ model, card, channels, inputHashes: {} });
  e2e.push(performance.now() - t0);
}

// onnxruntime alone on the same tiles: the model-grid input, prepared and tiled as the runtime does.
const target = modelGrid(channels.t1gd, card.input.spacingMm);
const modelInput = card.input.channels.map((r) => resample(channels[r], target).data);
const prepared = prepareInput(modelInput, target.dims);
const patch = card.inference.patch as unknown as Size3;
const size: Size3 = [Math.max(prepared.size[0], patch[0]), Math.max(prepared.size[1], patch[1]), Math.max(prepared.size[2], patch[2])];
const origins = tileOrigins(size, patch, card.inference.step);
const [px, py, pz] = patch;
const padded = padChannels(prepared.data, prepared.size, size);
const tensors = origins.map((origin) => {
  const tile = new Float32Array(4 * px * py * pz);
  copyTile(padded, size, tile, patch, origin, [false, false, false]);
  return new ort.Tensor('float32', tile, [1, 4, pz, py, px]);
});
const ortAlone: number[] = [];
for (let run = 0; run < reps; run++) {
  const t0 = performance.now();
  for (const t of tensors) (await model.session.run({ [card.input.name]: t }))[card.output.name]!.dispose();
  ortAlone.push(performance.now() - t0);
}
// The same sliding window on the prepared model-grid input (what PyTorch is compared with).
const window: number[] = [];
for (let run = 0; run < reps; run++) {
  const t0 = performance.now();
  await segmentVolume(model.session, modelInput, target.dims, {
    patch,
    step: card.inference.step,
    tta: false,
    outputForm: { kind: 'softmax' },
    inputName: card.input.name,
    outputName: card.output.name,
  });
  window.push(performance.now() - t0);
}

const tta0 = performance.now();
const withTta = values.quick ? null : await segmentCase({ model, card, channels, inputHashes: {}, tta: true });
const ttaMs = performance.now() - tta0;

// PyTorch on the same prepared input and weights.
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-inference-'));
let torch: { seconds: number[]; labels: string } | null = null;
try {
  await writeFile(path.join(dir, 'input.f32'), new Uint8Array(prepared.data.buffer, prepared.data.byteOffset, prepared.data.byteLength));
  const py =
    values['skip-torch'] || values.quick
      ? { status: -1, stderr: 'skipped (--skip-torch)', stdout: '' }
      : spawnSync(
          '/usr/bin/python3',
          [
            path.join(import.meta.dirname, 'reference.py'),
            '--input',
            path.join(dir, 'input.f32'),
            '--size',
            prepared.size.join(','),
            '--weights',
            path.join(MODEL_DIR, 'model.pt'),
            '--card',
            path.join(MODEL_DIR, 'model-card.json'),
            '--threads',
            String(threads),
            '--out',
            path.join(dir, 'labels.u8'),
          ],
          { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: String(threads) } },
        );
  if (py.status !== 0) console.log(`PyTorch reference failed (${py.status}): ${py.stderr.slice(-800)}`);
  else torch = { seconds: (JSON.parse(py.stdout.trim().split('\n').at(-1)!) as { seconds: number[] }).seconds, labels: path.join(dir, 'labels.u8') };
  const ours = await segmentVolume(model.session, modelInput, target.dims, { patch, step: card.inference.step, tta: false, outputForm: { kind: 'softmax' } });
  if (torch) {
    const theirs = new Uint8Array(await readFile(torch.labels));
    // Ours is on the model grid; PyTorch's on the brain crop of it.
    const [bx, by, bz] = prepared.box.min;
    const [sx, sy, sz] = prepared.size;
    const regions = { WT: [1, 2, 3], TC: [2, 3], ET: [3] } as const;
    const agreement: string[] = [];
    for (const [name, labels] of Object.entries(regions)) {
      let inter = 0,
        a = 0,
        b = 0;
      for (let z = 0; z < sz; z++)
        for (let y = 0; y < sy; y++)
          for (let x = 0; x < sx; x++) {
            const o = (labels as readonly number[]).includes(ours.labels[bx + x + target.dims[0] * (by + y + target.dims[1] * (bz + z))]!);
            const t = (labels as readonly number[]).includes(theirs[x + sx * (y + sy * z)]!);
            inter += o && t ? 1 : 0;
            a += o ? 1 : 0;
            b += t ? 1 : 0;
          }
      agreement.push(`${name} ${a + b === 0 ? '1.000' : ((2 * inter) / (a + b)).toFixed(4)}`);
    }
    console.log(`label agreement onnxruntime vs PyTorch (Dice): ${agreement.join(', ')}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

let truthInter = 0,
  truthA = 0,
  truthB = 0;
for (let i = 0; i < labelTruth.data.length; i++) {
  const p = result.labels.data[i]! > 0,
    g = labelTruth.data[i]! > 0;
  truthInter += p && g ? 1 : 0;
  truthA += p ? 1 : 0;
  truthB += g ? 1 : 0;
}

const e2eMs = median(e2e);
const ortMs = median(ortAlone);
const windowMs = median(window);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `model ${card.name}@${card.version}, patch ${patch.join('×')}, step ${card.inference.step}, ${origins.length} tiles on the ${target.dims.join('×')} model grid (${card.input.spacingMm.join('×')} mm), ${threads} threads, CPU`,
);
console.log(`case 4 × ${dims.join('×')} at 1 mm: whole-tumour Dice vs the generator's truth ${((2 * truthInter) / (truthA + truthB)).toFixed(3)}; volumes ${JSON.stringify(result.volumesMl)}`);
console.log(
  `end to end (segmentCase, TTA off): ${(e2eMs / 1000).toFixed(2)} s (median of 3); stages ${JSON.stringify(Object.fromEntries(Object.entries(result.provenance.timings).map(([k, v]) => [k, Math.round(v)])))}`,
);
console.log(`onnxruntime alone, same tiles: ${(ortMs / 1000).toFixed(2)} s → pipeline overhead ${((e2eMs / ortMs - 1) * 100).toFixed(1)} % (target <= 15 %)`);
if (torch) {
  const torchMs = median(torch.seconds) * 1000;
  console.log(
    `PyTorch sliding window, same weights and tiles: ${(torchMs / 1000).toFixed(2)} s; runtime sliding window ${(windowMs / 1000).toFixed(2)} s → ${(torchMs / windowMs).toFixed(2)}× faster (whole pipeline ${(torchMs / e2eMs).toFixed(2)}×; target >= 2×)`,
  );
}
if (withTta)
  console.log(
    `mirroring TTA on: ${(ttaMs / 1000).toFixed(2)} s = ${(ttaMs / e2eMs).toFixed(2)}× TTA off (8 flips); WT volume ${withTta.volumesMl.WT.toFixed(1)} vs ${result.volumesMl.WT.toFixed(1)} mL`,
  );

// The floor: one onnxruntime pass over the brain's bounding box on the model grid, no overlap, no TTA.
const floorSize: Size3 = [Math.ceil(prepared.size[0] / 8) * 8, Math.ceil(prepared.size[1] / 8) * 8, Math.ceil(prepared.size[2] / 8) * 8];
const floorTensor = new ort.Tensor('float32', padChannels(prepared.data, prepared.size, floorSize), [1, 4, floorSize[2], floorSize[1], floorSize[0]]);
async function timeFloor(): Promise<number> {
  const t0 = performance.now();
  (await model.session.run({ [card.input.name]: floorTensor }))[card.output.name]!.dispose();
  return performance.now() - t0;
}
async function timeCase(c: typeof card): Promise<{ ms: number; labels: Uint8Array }> {
  const t0 = performance.now();
  const r = await segmentCase({ model, card: c, channels, inputHashes: {} });
  return { ms: performance.now() - t0, labels: r.labels.data };
}
/** Median over pairs of A/B, the two sides timed back to back (A, B, A, B, ...). */
async function pairedRatio(a: () => Promise<number>, b: () => Promise<number>): Promise<{ ratio: number; a: number; b: number }> {
  const ratios: number[] = [],
    as: number[] = [],
    bs: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const ta = await a();
    const tb = await b();
    ratios.push(ta / tb);
    as.push(ta);
    bs.push(tb);
  }
  return { ratio: median(ratios), a: median(as), b: median(bs) };
}
function regionDice(p: Uint8Array, q: Uint8Array): string {
  const out: string[] = [];
  for (const [name, lo] of [
    ['WT', 1],
    ['TC', 2],
    ['ET', 3],
  ] as const) {
    let inter = 0,
      a = 0,
      b = 0;
    for (let i = 0; i < p.length; i++) {
      const x = p[i]! >= lo && (lo !== 2 || p[i] !== 1),
        y = q[i]! >= lo && (lo !== 2 || q[i] !== 1);
      inter += x && y ? 1 : 0;
      a += x ? 1 : 0;
      b += y ? 1 : 0;
    }
    out.push(`${name} ${a + b === 0 ? '1.000' : ((2 * inter) / (a + b)).toFixed(3)}`);
  }
  return out.join(', ');
}
await timeFloor(); // warm-up of the whole-box shape
const floor = await pairedRatio(async () => (await timeCase(card)).ms, timeFloor);
console.log(
  `floor (one onnxruntime pass over the ${floorSize.join('×')} brain box, no overlap, no TTA): ${(floor.b / 1000).toFixed(2)} s; end to end ${(floor.a / 1000).toFixed(2)} s → end to end ÷ floor ${floor.ratio.toFixed(2)} (median of ${pairs} paired ratios; target <= 1.5)`,
);
// The same ratio for the whole-box tiling (the floor's own computation plus the pipeline's stages).
const wholeBoxCard = { ...card, inference: { ...card.inference, tiling: 'whole-box' as const } };
const wholeBoxFloor = await pairedRatio(async () => (await timeCase(wholeBoxCard)).ms, timeFloor);
console.log(`with tiling 'whole-box': end to end ${(wholeBoxFloor.a / 1000).toFixed(2)} s → end to end ÷ floor ${wholeBoxFloor.ratio.toFixed(2)} (median of ${pairs} paired ratios)`);
// Where the ratio goes: the tiles' voxels against the box's (compute scales with voxels for this
// fully convolutional network) and the stages of one end-to-end run.
const tileVoxels = origins.length * px * py * pz;
const boxVoxels = floorSize[0] * floorSize[1] * floorSize[2];
const stages = (await segmentCase({ model, card, channels, inputHashes: {} })).provenance.timings;
const share = (k: string) => `${k} ${(((stages[k] ?? 0) / stages.totalMs!) * 100).toFixed(0)} %`;
console.log(
  `where it goes: ${origins.length} tiles × ${patch.join('×')} = ${(tileVoxels / boxVoxels).toFixed(2)}× the box's voxels; stages of one run: ${['computeMs', 'blendMs', 'preprocessMs', 'postprocessMs', 'resampleInMs', 'resampleOutMs'].map(share).join(', ')}`,
);
const reference = (await timeCase(card)).labels;
const variants: { name: string; patch: Size3; step: number; tiling?: 'whole-box' }[] = [
  { name: '64³, step 1 (fewest 64³ tiles)', patch: [64, 64, 64], step: 1 },
  { name: '80³, step 0.5', patch: [80, 80, 80], step: 0.5 },
  { name: '96³, step 0.5', patch: [96, 96, 96], step: 0.5 },
  { name: '96³, step 1', patch: [96, 96, 96], step: 1 },
  { name: `whole box ${floorSize.join('×')} (tiling 'whole-box': one pass, no blending)`, patch, step: 1, tiling: 'whole-box' },
];
for (const v of variants) {
  const c = { ...card, inference: { ...card.inference, patch: [...v.patch] as typeof card.inference.patch, step: v.step, tiling: v.tiling ?? card.inference.tiling } };
  let labels = reference;
  const r = await pairedRatio(
    async () => {
      const x = await timeCase(c);
      labels = x.labels;
      return x.ms;
    },
    async () => (await timeCase(card)).ms,
  );
  console.log(
    `tiling ${v.name}: ${(r.a / 1000).toFixed(2)} s vs the card's ${card.inference.patch.join('×')} step ${card.inference.step} ${(r.b / 1000).toFixed(2)} s → ${r.ratio.toFixed(2)}× the time (median of ${pairs} paired ratios); labels vs the card's tiling: Dice ${regionDice(labels, reference)}`,
  );
}
console.log(`peak resident memory: ${maxRssMb.toFixed(0)} MB (target <= 2048 MB)`);
await model.session.release();
