import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { modelCardSchema, type ModelCard } from './model-card';

/** Why a model declaration was refused: names the declared and the actual value. */
export class ModelDeclarationError extends Error {
  constructor(
    readonly field: string,
    readonly declared: unknown,
    readonly actual: unknown,
  ) {
    super(`Model declaration mismatch at ${field}: declared ${JSON.stringify(declared)}, the model has ${JSON.stringify(actual)}.`);
    this.name = 'ModelDeclarationError';
  }
}

/**
 * Checks a model card against its ONNX file before registration: the card parses; the file's
 * SHA-256 matches; the graph has the declared input and output names; the input is rank 5 with 4
 * channels; and a test volume (a smooth 4-channel blob, one patch) runs and yields the declared
 * number of output channels (4 for softmax, 3 for sigmoid regions) with finite values.
 */
export async function verifyModel({ onnxPath, card: rawCard }: { onnxPath: string; card: unknown }): Promise<ModelCard> {
  const parsed = modelCardSchema.safeParse(rawCard);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ModelDeclarationError(`card.${issue.path.join('.')}`, issue.message, 'invalid');
  }
  const card = parsed.data;
  const bytes = await readFile(onnxPath);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== card.sha256) throw new ModelDeclarationError('sha256', card.sha256, sha256);

  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  } catch (error) {
    throw new ModelDeclarationError('onnx', 'a model onnxruntime can load', error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  try {
    if (!session.inputNames.includes(card.input.name)) throw new ModelDeclarationError('input.name', card.input.name, session.inputNames);
    if (!session.outputNames.includes(card.output.name)) throw new ModelDeclarationError('output.name', card.output.name, session.outputNames);
    const [px, py, pz] = card.inference.patch;
    const n = px * py * pz;
    const data = new Float32Array(4 * n);
    for (let c = 0; c < 4; c++) for (let z = 0, i = 0; z < pz; z++) for (let y = 0; y < py; y++) for (let x = 0; x < px; x++, i++) data[c * n + i] = Math.sin((x + c) / 5) * Math.cos(y / 7) + z / pz;
    let out: ort.Tensor | undefined;
    try {
      out = (await session.run({ [card.input.name]: new ort.Tensor('float32', data, [1, 4, pz, py, px]) }))[card.output.name];
    } catch (error) {
      throw new ModelDeclarationError(
        'input',
        `[1, 4, ${pz}, ${py}, ${px}] float32 (channels ${card.input.channels.join(', ')})`,
        error instanceof Error ? error.message.split('\n')[0] : String(error),
      );
    }
    if (!out) throw new ModelDeclarationError('output.name', card.output.name, 'no tensor');
    const expectedChannels = card.output.form === 'softmax' ? 4 : 3;
    const dims = [...out.dims];
    if (dims.length !== 5 || dims[1] !== expectedChannels || dims[2] !== pz || dims[3] !== py || dims[4] !== px) {
      throw new ModelDeclarationError('output shape', [1, expectedChannels, pz, py, px], dims);
    }
    const values = out.data as Float32Array;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new ModelDeclarationError('output values', 'finite', values[i]);
    return card;
  } finally {
    await session.release();
  }
}
