import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import segment from '@/cli/commands/segment';

/**
 * A model folder for `segtrial segment` holding the pointwise test model (models/runtime/fixtures)
 * with a card at `spacingMm`: tests that check ingest, layouts and grids, not the model's accuracy.
 */
export function writePointwiseModelDir(modelDir: string, spacingMm: number): void {
  mkdirSync(modelDir);
  copyFileSync(path.join(import.meta.dirname, '../../../models/runtime/fixtures/pointwise.onnx'), path.join(modelDir, 'model.onnx'));
  writeFileSync(
    path.join(modelDir, 'model-card.json'),
    JSON.stringify({
      name: 'pointwise-test',
      version: '1',
      input: { name: 'image', channels: ['flair', 't1', 't1gd', 't2'], axisOrder: 'NCZYX', spacingMm: [spacingMm, spacingMm, spacingMm] },
      output: { name: 'logits', form: 'softmax' },
      inference: { patch: [32, 32, 32], step: 0.5 },
      sha256: 'test',
    }),
  );
}

/**
 * Runs `segtrial segment` with `args` on the model in `modelDir` (CPU, one thread) and returns its
 * exit code and JSON report; the console is captured (the caller restores its mocks after each test).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON report, checked field by field
export async function runSegmentCli(modelDir: string, args: string[]): Promise<{ code: number; report: Record<string, any> }> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await segment.run([...args, '--model', modelDir, '--providers', 'cpu', '--threads', '1']);
  return { code, report: JSON.parse(lines.join('\n')) };
}
