import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ingestStudy } from '../../imaging/ingest/ingest';
import { IngestError } from '../../imaging/ingest/errors';
import { createContentStore } from '../../imaging/storage/content-store';
import { SHIPPED_MODEL_DIR } from '../../models/registry/shipped-model';
import { runSegmentationProcess } from '../../server/jobs/run-segmentation-process';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const USAGE = 'usage: segtrial segment --flair F --t1 F --t1gd F --t2 F --out seg.nii.gz [--tta] [--model DIR] [--providers cuda,webgpu,cpu] [--threads N]';

const command: CliCommand = {
  name: 'segment',
  summary: 'segment --flair F --t1 F --t1gd F --t2 F --out seg.nii.gz: validate, co-register and segment one case; prints provenance JSON',
  usage: USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        flair: { type: 'string' }, t1: { type: 'string' }, t1gd: { type: 'string' }, t2: { type: 'string' }, out: { type: 'string' },
        tta: { type: 'boolean', default: false }, model: { type: 'string', default: SHIPPED_MODEL_DIR }, providers: { type: 'string', default: 'cuda,webgpu,cpu' }, threads: { type: 'string', default: '0' },
      },
    });
    const { flair, t1, t1gd, t2, out } = values;
    if (!flair || !t1 || !t1gd || !t2 || !out) throw new CliUsageError(USAGE);
    const work = await mkdtemp(path.join(os.tmpdir(), 'segtrial-segment-'));
    try {
      const store = createContentStore(work);
      const file = async (p: string) => ({ name: path.basename(p), bytes: new Uint8Array(await readFile(p)) });
      let ingest;
      try {
        ingest = await ingestStudy({ files: { flair: await file(flair), t1: await file(t1), t1gd: await file(t1gd), t2: await file(t2) }, storage: store });
      } catch (error) {
        if (error instanceof IngestError) throw new CliUsageError(`refused: ${error.message}`, 1);
        throw error;
      }
      const card = JSON.parse(await readFile(path.join(values.model, 'model-card.json'), 'utf8')) as unknown;
      const result = await runSegmentationProcess(
        {
          modelPath: path.join(values.model, 'model.onnx'),
          card,
          inputs: { flair: store.pathOf(ingest.volumes.flair.registered.sha256), t1: store.pathOf(ingest.volumes.t1.registered.sha256), t1gd: store.pathOf(ingest.volumes.t1gd.registered.sha256), t2: store.pathOf(ingest.volumes.t2.registered.sha256) },
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
      const registration = Object.fromEntries(Object.entries(ingest.registration).map(([role, r]) => [role, { ok: r.ok, nmiBefore: r.nmiBefore, nmiAfter: r.nmiAfter, rotationDeg: r.rotationDeg, problems: r.problems }]));
      console.log(JSON.stringify({ output: out, volumesMl: result.volumesMl, riskHighGrade: result.riskHighGrade, registration, provenance: result.provenance }, null, 2));
      return 0;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
export default command;
