import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabelVolumes } from './label-volumes';
import type { SegmentationProvenance } from './segment-case';

export interface SegmentationRequest {
  readonly modelPath: string;
  readonly card: unknown;
  /** NIfTI files of the four sequences, already on one grid. */
  readonly inputs: { readonly flair: string; readonly t1: string; readonly t1gd: string; readonly t2: string };
  /** Recorded in the provenance instead of the hashes of the files read, when given (e.g. original uploads). */
  readonly inputHashes?: Record<string, string>;
  readonly outputPath: string;
  readonly tta: boolean;
  readonly providers?: readonly string[];
  readonly threads?: number;
}

export interface SegmentationProcessResult {
  readonly volumesMl: LabelVolumes;
  readonly riskHighGrade: number | null;
  readonly provenance: SegmentationProvenance;
  readonly labelsSha256: string;
}

/**
 * The child's entry file. Next.js bundles this module into .next/, where import.meta.url no longer
 * points into models/runtime: fall back to the project root (the server's working directory).
 */
function childEntry(): string {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), 'segment-process.ts');
  return existsSync(beside) ? beside : path.join(process.cwd(), 'models', 'runtime', 'segment-process.ts');
}

/**
 * Segments a case in a child Node process (see segment-process.ts). Progress arrives through
 * `onProgress`; a non-zero exit rejects with the child's last error lines. `signal` kills the child.
 */
export function runSegmentationProcess(request: SegmentationRequest, { onProgress, signal }: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<SegmentationProcessResult> {
  return new Promise((resolve, reject) => {
    const tsxLoader = createRequire(path.join(process.cwd(), 'package.json')).resolve('tsx/esm');
    const child = spawn(process.execPath, ['--import', tsxLoader, childEntry()], { stdio: ['pipe', 'pipe', 'pipe'], signal });
    let result: SegmentationProcessResult | undefined;
    let stderr = '';
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('PROGRESS ')) {
          const [done, total] = line.slice(9).split(' ').map(Number);
          onProgress?.(done!, total!);
        } else if (line.startsWith('RESULT ')) {
          result = JSON.parse(line.slice(7)) as SegmentationProcessResult;
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`segmentation process failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.end(JSON.stringify(request));
  });
}
