import { copyFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { IngestFile } from '../../imaging/ingest/decode';
import { IngestError } from '../../imaging/ingest/errors';
import { ingestStudy, type SequenceRole } from '../../imaging/ingest/ingest';
import { recognizeStudyLayout, type RecognizedStudy, type SequenceSource } from '../../imaging/ingest/layout';
import { resolveLimits } from '../../imaging/ingest/limits';
import { createContentStore } from '../../imaging/storage/content-store';
import { SHIPPED_MODEL_DIR } from '../../models/registry/shipped-model';
import { runSegmentationProcess } from '../../server/jobs/run-segmentation-process';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const USAGE = [
  'usage: segtrial segment (--flair F --t1 F --t1gd F --t2 F | --image CASE.nii.gz [--dataset-json F] | --dir DIR) --out seg.nii.gz [--tta] [--model DIR] [--providers cuda,webgpu,cpu] [--threads N]',
  '  --flair/--t1/--t1gd/--t2: a NIfTI file, a DICOM series folder, or a .zip of one series',
  '  --image: one 4D NIfTI (Decathlon layout; channels FLAIR, T1w, T1gd, T2w unless --dataset-json says otherwise)',
  '  --dir:   a folder (or use a .zip with --image) whose files name their sequence: BraTS _flair/_t1/_t1ce/_t2 or -t2f/-t1n/-t1c/-t2w, or flair/t1/t1gd/t2 in the name',
].join('\n');

async function listFiles(dir: string, prefix: string): Promise<IngestFile[]> {
  const out: IngestFile[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full, `${prefix}/${e.name}`)));
    else if (e.isFile()) out.push({ name: `${prefix}/${e.name}`, bytes: new Uint8Array(await readFile(full)) });
  }
  return out;
}

const command: CliCommand = {
  name: 'segment',
  summary: 'segment (--flair F --t1 F --t1gd F --t2 F | --image CASE.nii.gz | --dir DIR) --out seg.nii.gz: validate, co-register, brain-extract and segment one case; prints provenance JSON',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        flair: { type: 'string' },
        t1: { type: 'string' },
        t1gd: { type: 'string' },
        t2: { type: 'string' },
        out: { type: 'string' },
        image: { type: 'string' },
        dir: { type: 'string' },
        'dataset-json': { type: 'string' },
        tta: { type: 'boolean', default: false },
        model: { type: 'string', default: SHIPPED_MODEL_DIR },
        providers: { type: 'string', default: 'cuda,webgpu,cpu' },
        threads: { type: 'string', default: '0' },
      },
    });
    const { flair, t1, t1gd, t2, out, image, dir } = values;
    const explicit = [flair, t1, t1gd, t2].filter(Boolean).length;
    const ways = (explicit > 0 ? 1 : 0) + (image ? 1 : 0) + (dir ? 1 : 0);
    if (!out || ways !== 1 || (explicit > 0 && explicit < 4)) throw new CliUsageError(USAGE);
    const file = async (p: string): Promise<IngestFile> => ({ name: path.basename(p), bytes: new Uint8Array(await readFile(p)) });
    // A sequence flag names a NIfTI file, a zip of a DICOM series, or a DICOM series folder (its files, recursively).
    const sequence = async (p: string): Promise<IngestFile | IngestFile[]> => ((await stat(p)).isDirectory() ? listFiles(p, path.basename(path.resolve(p))) : file(p));
    let sources: Record<SequenceRole, SequenceSource>;
    let layout: RecognizedStudy | null = null;
    try {
      if (explicit) sources = { flair: await sequence(flair!), t1: await sequence(t1!), t1gd: await sequence(t1gd!), t2: await sequence(t2!) };
      else {
        const files = image ? [await file(image), ...(values['dataset-json'] ? [await file(values['dataset-json'])] : [])] : await listFiles(dir!, path.basename(path.resolve(dir!)));
        layout = recognizeStudyLayout(files, resolveLimits());
        sources = layout.sources;
        process.stderr.write(
          `layout ${layout.layout}${layout.caseId ? ` (case ${layout.caseId})` : ''}\n${layout.assignments.map((a) => `  ${a.role.padEnd(5)} ← ${a.file}${a.channel !== undefined ? ` [channel ${a.channel}]` : ''} (${a.because})`).join('\n')}\n`,
        );
      }
    } catch (error) {
      if (error instanceof IngestError) throw new CliUsageError(`refused: ${error.message}`, 1);
      throw error;
    }
    const work = await mkdtemp(path.join(os.tmpdir(), 'segtrial-segment-'));
    try {
      const store = createContentStore(work);
      let ingest;
      try {
        ingest = await ingestStudy({ files: sources, storage: store });
      } catch (error) {
        if (error instanceof IngestError) throw new CliUsageError(`refused: ${error.message}`, 1);
        throw error;
      }
      const card = JSON.parse(await readFile(path.join(values.model, 'model-card.json'), 'utf8')) as unknown;
      const result = await runSegmentationProcess(
        {
          modelPath: path.join(values.model, 'model.onnx'),
          card,
          inputs: {
            flair: store.pathOf(ingest.volumes.flair.registered.sha256),
            t1: store.pathOf(ingest.volumes.t1.registered.sha256),
            t1gd: store.pathOf(ingest.volumes.t1gd.registered.sha256),
            t2: store.pathOf(ingest.volumes.t2.registered.sha256),
            mask: store.pathOf(ingest.brainExtraction.mask.sha256),
          },
          inputHashes: ingest.hashes.inputs,
          storageRoot: work,
          tta: values.tta,
          providers: values.providers.split(','),
          threads: Number(values.threads),
        },
        { onProgress: (done, total) => process.stderr.write(`\rtiles ${done}/${total}`) },
      );
      process.stderr.write('\n');
      await copyFile(store.pathOf(result.labelsSha256), out);
      const registration = Object.fromEntries(
        Object.entries(ingest.registration).map(([role, r]) => [
          role,
          { ok: r.ok, source: r.source, alreadyAligned: r.alreadyAligned, nmiBefore: r.nmiBefore, nmiAfter: r.nmiAfter, rotationDeg: r.rotationDeg, problems: r.problems },
        ]),
      );
      const { mask, ...brainExtraction } = ingest.brainExtraction;
      console.log(
        JSON.stringify(
          {
            output: out,
            layout: layout ? { layout: layout.layout, caseId: layout.caseId, assignments: layout.assignments } : { layout: 'explicit' },
            volumesMl: result.volumesMl,
            riskHighGrade: result.riskHighGrade,
            registration,
            brainExtraction: { ...brainExtraction, maskSha256: mask.sha256 },
            provenance: result.provenance,
          },
          null,
          2,
        ),
      );
      return 0;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
export default command;
