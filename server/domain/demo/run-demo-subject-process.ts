import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Covariates, Outcome } from '../../../imaging/cohort/covariates';
import type { IngestResult } from '../../../imaging/ingest/ingest';
import type { DemoSubjectRequest } from './demo-subject-process';

export interface DemoSubjectResult {
  readonly ingested: IngestResult;
  readonly record: { readonly covariates: Covariates; readonly outcome: Outcome; readonly tumorKind: string | null };
}

/** The child's entry: beside this file in the source tree, or under the project root once Next.js has bundled this module. */
function childEntry(): string {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-subject-process.ts');
  return existsSync(beside) ? beside : path.join(process.cwd(), 'server', 'domain', 'demo', 'demo-subject-process.ts');
}

/**
 * Generates and ingests one demo subject in a child Node process (demo-subject-process.ts), by
 * default at the lowest CPU priority (niceness 19), so that the app keeps answering while the demo's
 * studies are prepared on first start.
 */
export function runDemoSubjectProcess(request: DemoSubjectRequest, { niceness = 19 }: { niceness?: number } = {}): Promise<DemoSubjectResult> {
  return new Promise((resolve, reject) => {
    const tsxLoader = createRequire(path.join(process.cwd(), 'package.json')).resolve('tsx/esm');
    const child = spawn(process.execPath, ['--import', tsxLoader, childEntry()], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (child.pid !== undefined && niceness !== 0) {
      try {
        // Lowest CPU priority: the web server and the inference worker come first.
        os.setPriority(child.pid, niceness);
      } catch {
        // not permitted here: the child runs at normal priority
      }
    }
    let out = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as DemoSubjectResult);
      else reject(new Error(`demo subject process failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.end(JSON.stringify(request));
  });
}
