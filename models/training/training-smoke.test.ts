/**
 * CI's smoke training: the real training, export, risk and card scripts run for a few steps on a
 * tiny generated cohort, so they cannot rot; then the platform reads what they wrote. The exported
 * ONNX must reproduce PyTorch's own numbers on the export's self-test volume (the same graph in two
 * runtimes), the card must pass the registry's checks, and the runtime must segment a case with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCohort } from '../../imaging/cohort/generate-cohort';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { verifyModel } from '../registry/verify-model';
import { openModelSession } from '../runtime/onnx-session';
import { segmentCase } from '../runtime/segment-case';

const PYTHON = '/usr/bin/python3';
const here = import.meta.dirname;
const work = mkdtempSync(path.join(os.tmpdir(), 'segtrial-train-smoke-'));
const cohort = path.join(work, 'cohort');
const run = path.join(work, 'run');
const shipped = path.join(work, 'shipped');

function python(script: string, args: string[]): string {
  const result = spawnSync(PYTHON, [path.join(here, script), ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  await generateCohort({ out: cohort, n: 5, seed: 'smoke', sites: ['site-a', 'site-b'], size: 'tiny' });
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('training scripts (smoke)', () => {
  it('train, evaluate, fit the risk model and write the card', () => {
    // Half the samples domain-randomised (randomize.py), and a randomised validation copy, as the shipped run.
    const log = python('train.py', ['--cohort', cohort, '--out', run, '--smoke', '--threads', '1', '--randomize', '0.5', '--val-randomized', '1']);
    expect(log).toMatch(/done: 6 steps/);
    expect(log).toMatch(/randomised: WT/);
    const info = JSON.parse(readFileSync(path.join(run, 'train-info.json'), 'utf8')) as { split: { train: string[]; test: string[] }; onnx: { opset: number } };
    expect(info.split.train).toHaveLength(3);
    expect(info.onnx.opset).toBe(17);
    python('evaluate.py', ['--model-dir', run, '--internal', cohort, '--out', path.join(run, 'metrics.json'), '--limit', '1']);
    python('risk.py', ['--cohort', cohort, '--train-info', path.join(run, 'train-info.json'), '--out', path.join(run, 'risk-model.json')]);
    python('card.py', ['--run', run, '--metrics', path.join(run, 'metrics.json'), '--risk', path.join(run, 'risk-model.json'), '--version', '0.0.0-smoke', '--out', shipped]);
    expect(readFileSync(path.join(shipped, 'MODEL_CARD.md'), 'utf8')).toMatch(/Not for clinical use/);
  }, 600_000);

  it('a fine-tune (--init) validates its starting weights as step 0, a candidate for selection', () => {
    const tuned = path.join(work, 'run-tuned');
    const log = python('train.py', ['--cohort', cohort, '--out', tuned, '--smoke', '--steps', '3', '--threads', '1', '--init', path.join(run, 'model.pt'), '--no-export']);
    expect(log).toMatch(/val step 0: /);
    const info = JSON.parse(readFileSync(path.join(tuned, 'train-info.json'), 'utf8')) as { validation: { step: number; mean: number }[]; selected: { step: number; score: number } };
    expect(info.validation[0]!.step).toBe(0);
    // The selected checkpoint is the best of all candidates, the starting weights included.
    expect(info.selected.score).toBe(Math.max(...info.validation.map((v) => v.mean)));
  }, 300_000);

  it('the exported ONNX reproduces PyTorch on the self-test volume', async () => {
    const card = JSON.parse(readFileSync(path.join(shipped, 'model-card.json'), 'utf8')) as { onnx: { selfTest: { shape: number[]; logitsMeanPerChannel: number[]; logitsAtFlatIndex: Record<string, number[]>; tolerance: number } } };
    const { shape, logitsMeanPerChannel, logitsAtFlatIndex, tolerance } = card.onnx.selfTest;
    const [, , pz, py, px] = shape as [number, number, number, number, number];
    const n = px * py * pz;
    const data = new Float32Array(4 * n);
    for (let c = 0; c < 4; c++)
      for (let z = 0, i = 0; z < pz; z++) for (let y = 0; y < py; y++) for (let x = 0; x < px; x++, i++) data[c * n + i] = Math.sin((x + c) / 5) * Math.cos(y / 7) + z / pz;
    const session = await ort.InferenceSession.create(path.join(shipped, 'model.onnx'), { executionProviders: ['cpu'] });
    const out = (await session.run({ image: new ort.Tensor('float32', data, shape) })).logits!.data as Float32Array;
    await session.release();
    for (let c = 0; c < 4; c++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += out[c * n + i]!;
      expect(Math.abs(sum / n - logitsMeanPerChannel[c]!)).toBeLessThan(tolerance);
    }
    for (const [index, values] of Object.entries(logitsAtFlatIndex)) {
      for (let c = 0; c < 4; c++) expect(Math.abs(out[c * n + Number(index)]! - values[c]!)).toBeLessThan(tolerance);
    }
  }, 120_000);

  it('the card passes the registry checks and the runtime segments a case with it', async () => {
    const cardJson: unknown = JSON.parse(readFileSync(path.join(shipped, 'model-card.json'), 'utf8'));
    const card = await verifyModel({ onnxPath: path.join(shipped, 'model.onnx'), card: cardJson });
    expect(card.riskModel?.coefficients).toHaveLength(2);
    const model = await openModelSession(path.join(shipped, 'model.onnx'), { providers: ['cpu'], threads: 1 });
    // Canonical-grid subject: every sequence is on the T1gd grid, as after co-registration.
    const canonical = path.join(work, 'canonical');
    await generateCohort({ out: canonical, n: 1, seed: 'smoke-case', sites: ['site-b'], size: 'tiny', grid: 'canonical' });
    const file = (role: string) => readNifti(path.join(canonical, 'sub-0001', `sub-0001_${role}.nii.gz`));
    const channels = { flair: await file('flair'), t1: await file('t1'), t1gd: await file('t1gd'), t2: await file('t2') };
    const result = await segmentCase({ model, card, channels, inputHashes: {} });
    await model.session.release();
    expect(result.labels.dims).toEqual(channels.t1gd.dims);
    expect(result.provenance.settings.modelGrid.resampled).toBe(true);
    expect(result.riskHighGrade).toBeGreaterThanOrEqual(0);
    expect(result.riskHighGrade).toBeLessThanOrEqual(1);
  }, 120_000);
});
