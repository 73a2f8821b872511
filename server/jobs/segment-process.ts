/**
 * Child process of inference (run through runChildProcess): segments one case with an ONNX model,
 * so inference never blocks the web server's event loop and a crash or out-of-memory in the runtime
 * cannot take the server (or the embedded database) down. The label map goes into the content
 * store once, here; the parent records its hash.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { decodeNifti } from '../../imaging/nifti/read-nifti';
import { encodeNiftiFile } from '../../imaging/nifti/write-nifti';
import { createContentStore } from '../../imaging/storage/content-store';
import type { ModelCard } from '../../models/registry/model-card';
import { openModelSession, type ProviderName } from '../../models/runtime/onnx-session';
import { segmentCase, type CaseChannels } from '../../models/runtime/segment-case';
import type { SegmentationProcessResult, SegmentationRequest } from './run-segmentation-process';
import { serveChildRequest } from './run-child-process';

async function segment(request: SegmentationRequest, progress: (done: number, total: number) => void): Promise<SegmentationProcessResult> {
  const card = request.card as ModelCard;
  const model = await openModelSession(request.modelPath, { providers: request.providers as ProviderName[] | undefined, threads: request.threads, log: (l) => console.error(l) });
  const hashes: Record<string, string> = {};
  const load = async (role: keyof CaseChannels) => {
    const bytes = await readFile(request.inputs[role]);
    hashes[role] = createHash('sha256').update(bytes).digest('hex');
    return decodeNifti(new Uint8Array(bytes), request.inputs[role]);
  };
  const channels: CaseChannels = { flair: await load('flair'), t1: await load('t1'), t1gd: await load('t1gd'), t2: await load('t2') };
  const mask = request.inputs.mask ? await decodeNifti(new Uint8Array(await readFile(request.inputs.mask)), request.inputs.mask) : null;
  const brainMask = mask ? { ...mask, data: Uint8Array.from(mask.data, (v) => (v > 0 ? 1 : 0)) } : undefined;
  const result = await segmentCase({ model, card, channels, inputHashes: request.inputHashes ?? hashes, tta: request.tta, onProgress: progress, brainMask });
  const stored = await createContentStore(request.storageRoot).put(encodeNiftiFile('labels.nii.gz', result.labels, { datatype: 'uint8', description: `segtrial ${card.name} ${card.version}` }));
  return { volumesMl: result.volumesMl, riskHighGrade: result.riskHighGrade, provenance: result.provenance, labelsSha256: stored.sha256 };
}

serveChildRequest(segment);
