/**
 * Segments every subject of an evaluation set with a model folder (model.onnx + model-card.json)
 * exactly as the platform serves it: the card is checked by the registry (verifyModel), the ONNX file
 * runs in onnxruntime-node through segmentCase (model-grid resampling, sliding window, the card's
 * post-processing, labels back on the study grid). evaluate.py --stress calls this and scores the
 * written label maps, so the card's figures are those of the ONNX file, not of the PyTorch weights.
 *
 *   node --import tsx models/evaluation/segment-set.ts --model DIR --set SETDIR --out PREDDIR [--threads 1] [--step 0.5] [--patch 64] [--tiling whole-box]
 *
 * SETDIR/manifest.json: {"subjects": [{"id", "files": {"flair", "t1", "t1gd", "t2", ...}}]}, the four
 * sequences of a subject on one grid (co-registered). Writes PREDDIR/<id>.nii.gz and PREDDIR/timings.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { writeNifti } from '../../imaging/nifti/write-nifti';
import { verifyModel } from '../registry/verify-model';
import { openModelSession } from '../runtime/onnx-session';
import { segmentCase } from '../runtime/segment-case';

interface SetManifest {
  subjects: { id: string; files: Record<string, string> }[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string' },
      set: { type: 'string' },
      out: { type: 'string' },
      threads: { type: 'string', default: '1' },
      step: { type: 'string' },
      patch: { type: 'string' },
      tiling: { type: 'string' },
    },
  });
  if (!values.model || !values.set || !values.out) throw new Error('usage: segment-set.ts --model DIR --set SETDIR --out PREDDIR [--threads N] [--step S] [--patch P]');
  const onnxPath = path.join(values.model, 'model.onnx');
  let card = await verifyModel({ onnxPath, card: JSON.parse(await readFile(path.join(values.model, 'model-card.json'), 'utf8')) as unknown });
  // Tiling experiments (bench/inference) may override the card's patch and step; the stress table uses the card's.
  if (values.step || values.patch || values.tiling) {
    const p = values.patch ? Number(values.patch) : undefined;
    const tiling = values.tiling === undefined ? {} : { tiling: values.tiling === 'whole-box' ? ('whole-box' as const) : ('sliding-window' as const) };
    card = { ...card, inference: { ...card.inference, ...(values.step ? { step: Number(values.step) } : {}), ...(p ? { patch: [p, p, p] as [number, number, number] } : {}), ...tiling } };
  }
  const model = await openModelSession(onnxPath, { providers: ['cpu'], threads: Number(values.threads), log: () => {} });
  const manifest = JSON.parse(await readFile(path.join(values.set, 'manifest.json'), 'utf8')) as SetManifest;
  await mkdir(values.out, { recursive: true });
  const timings: Record<string, number> = {};
  for (const subject of manifest.subjects) {
    const read = (role: string) => readNifti(path.join(values.set!, subject.files[role]!));
    const channels = { flair: await read('flair'), t1: await read('t1'), t1gd: await read('t1gd'), t2: await read('t2') };
    const result = await segmentCase({ model, card, channels, inputHashes: {} });
    await writeNifti(path.join(values.out, `${subject.id}.nii.gz`), result.labels);
    timings[subject.id] = Math.round(result.provenance.timings.totalMs!);
    console.log(`${subject.id} ${(result.provenance.timings.totalMs! / 1000).toFixed(1)} s, ${result.provenance.tiles} tiles`);
  }
  await model.session.release();
  await writeFile(
    path.join(values.out, 'timings.json'),
    JSON.stringify(
      { model: { name: card.name, version: card.version, sha256: card.sha256 }, patch: card.inference.patch, step: card.inference.step, tiling: card.inference.tiling, ms: timings },
      null,
      1,
    ),
  );
}

await main();
