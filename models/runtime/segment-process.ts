/**
 * Runs one segmentation in its own process, so inference never blocks the web server's event loop
 * and a crash or out-of-memory in the runtime cannot take the server (or the embedded database)
 * down. The parent (runSegmentationProcess) sends a request as JSON on stdin; this process prints
 * `PROGRESS done total` lines and one final `RESULT {json}` line on stdout.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { writeNifti } from '../../imaging/nifti/write-nifti';
import type { ModelCard } from '../registry/model-card';
import { openModelSession, type ProviderName } from './onnx-session';
import { segmentCase, type CaseChannels } from './segment-case';
import type { SegmentationRequest } from './run-segmentation-process';

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SegmentationRequest;
  const card = request.card as ModelCard;
  const model = await openModelSession(request.modelPath, { providers: request.providers as ProviderName[] | undefined, threads: request.threads, log: (l) => console.error(l) });
  const hashes: Record<string, string> = {};
  const load = async (role: keyof CaseChannels) => {
    const bytes = await readFile(request.inputs[role]);
    hashes[role] = createHash('sha256').update(bytes).digest('hex');
    return decodeNifti(new Uint8Array(bytes), request.inputs[role]);
  };
  const channels: CaseChannels = { flair: await load('flair'), t1: await load('t1'), t1gd: await load('t1gd'), t2: await load('t2') };
  const result = await segmentCase({
    model,
    card,
    channels,
    inputHashes: request.inputHashes ?? hashes,
    tta: request.tta,
    onProgress: (done, total) => process.stdout.write(`PROGRESS ${done} ${total}\n`),
  });
  await writeNifti(request.outputPath, result.labels, { datatype: 'uint8', description: `segtrial ${card.name} ${card.version}` });
  const labelsSha256 = createHash('sha256').update(await readFile(request.outputPath)).digest('hex');
  process.stdout.write(`RESULT ${JSON.stringify({ volumesMl: result.volumesMl, riskHighGrade: result.riskHighGrade, provenance: result.provenance, labelsSha256 })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
