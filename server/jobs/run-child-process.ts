import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one way SegTrial runs CPU-heavy work (ingest, inference, demo subjects) off the web server's
 * event loop: a child Node process per task, so a crash or an out-of-memory there cannot take the
 * server or the embedded database down, and the server keeps answering meanwhile.
 *
 * Protocol: the request goes as JSON on the child's stdin; the child prints `PROGRESS done total`
 * lines and one `RESULT {json}` line on stdout and exits 0 (see `serveChildRequest`). Anything else
 * (a non-zero exit, no RESULT) rejects with the child's last stderr lines.
 */
export class ChildProcessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = 'ChildProcessError';
  }
}

/** The project root: two levels above this file in the source tree, else the working directory (a bundled server). */
function projectRoot(): string {
  const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return existsSync(path.join(here, 'package.json')) && existsSync(path.join(here, 'server', 'jobs')) ? here : process.cwd();
}

export interface ChildProcessOptions {
  /** The child's entry file, relative to the project root (e.g. 'models/runtime/segment-process.ts'). */
  readonly entry: string;
  readonly request: unknown;
  readonly onProgress?: (done: number, total: number) => void;
  /** Kills the child. */
  readonly signal?: AbortSignal;
  /** CPU priority of the child (19: the lowest, for background work that must yield to requests). */
  readonly niceness?: number;
  /** Label for errors ("segmentation process failed …"). */
  readonly label: string;
}

export function runChildProcess<T>({ entry, request, onProgress, signal, niceness = 0, label }: ChildProcessOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const root = projectRoot();
    const tsxLoader = createRequire(path.join(root, 'package.json')).resolve('tsx/esm');
    const child = spawn(process.execPath, ['--import', tsxLoader, path.join(root, entry)], { stdio: ['pipe', 'pipe', 'pipe'], signal, cwd: root });
    if (child.pid !== undefined && niceness !== 0) {
      try {
        os.setPriority(child.pid, niceness);
      } catch {
        // not permitted here: the child runs at normal priority
      }
    }
    let result: { value: T } | undefined;
    let stderr = '';
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('PROGRESS ')) {
          const [done, total] = line.slice(9).split(' ').map(Number);
          onProgress?.(done!, total!);
        } else if (line.startsWith('RESULT ')) {
          result = { value: JSON.parse(line.slice(7)) as T };
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && result) resolve(result.value);
      else reject(new ChildProcessError(`${label} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`, code));
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/**
 * The child's side: reads the request from stdin, runs `work` with a progress reporter, prints the
 * RESULT line and exits 0; on an exception prints it to stderr and exits 1.
 */
export function serveChildRequest<Req, Res>(work: (request: Req, progress: (done: number, total: number) => void) => Promise<Res>): void {
  void (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Req;
    const result = await work(request, (done, total) => process.stdout.write(`PROGRESS ${done} ${total}\n`));
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`, () => process.exit(1));
  });
}
