import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelDeclarationError, verifyModel } from './verify-model';

const onnxPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../runtime/fixtures/pointwise.onnx');
const sha256 = createHash('sha256').update(readFileSync(onnxPath)).digest('hex');
const card = {
  name: 'pointwise-test',
  version: '1',
  input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [1, 1, 1] },
  output: { name: 'logits', form: 'softmax' },
  inference: { patch: [16, 16, 16], step: 0.5 },
  sha256,
};

describe('model registration checks', () => {
  it('accepts a declaration that matches the graph and runs, in any channel order', async () => {
    await expect(verifyModel({ onnxPath, card })).resolves.toMatchObject({ name: 'pointwise-test' });
    await expect(verifyModel({ onnxPath, card: { ...card, input: { ...card.input, channels: ['t1', 't1gd', 't2', 'flair'] } } })).resolves.toMatchObject({
      input: { channels: ['t1', 't1gd', 't2', 'flair'] },
    });
  });

  it('refuses a wrong hash, wrong names, a wrong channel order and a wrong output form', async () => {
    await expect(verifyModel({ onnxPath, card: { ...card, sha256: '0'.repeat(64) } })).rejects.toMatchObject({ field: 'sha256' });
    await expect(verifyModel({ onnxPath, card: { ...card, input: { ...card.input, name: 'x' } } })).rejects.toMatchObject({ field: 'input.name', actual: ['image'] });
    await expect(verifyModel({ onnxPath, card: { ...card, output: { name: 'probs', form: 'softmax' } } })).rejects.toBeInstanceOf(ModelDeclarationError);
    await expect(verifyModel({ onnxPath, card: { ...card, input: { ...card.input, channels: ['t1', 't1', 't1gd', 't2'] } } })).rejects.toMatchObject({ field: 'card.input.channels' });
    await expect(verifyModel({ onnxPath, card: { ...card, input: { ...card.input, channels: ['t1', 't1gd', 't2'] } } })).rejects.toMatchObject({ field: 'card.input.channels' });
    await expect(verifyModel({ onnxPath, card: { ...card, output: { name: 'logits', form: 'sigmoid-regions', regionOrder: ['TC', 'WT', 'ET'] } } })).rejects.toMatchObject({ field: 'output shape' });
  });
});
