// The hash of what a production build is made from, so `npm start` can reuse a build of the same
// tree instead of rebuilding on every start. Plain Node, no imports from node_modules.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the build reads: the app's code and configuration (not tests, docs, training or data). */
const BUILD_INPUTS = ['app', 'server', 'db', 'imaging', 'models', 'analysis', 'instrumentation.ts', 'next.config.ts', 'tsconfig.json', 'package-lock.json'];
const SKIPPED = /(^|\/)(training|fixtures)(\/|$)|\.test\.tsx?$|\.md$|\.pt$/;

function listFiles(root, entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full).flatMap((name) => listFiles(root, path.join(entry, name)));
}

/**
 * SHA-256 over the paths and contents of the build's inputs: the files git knows of (tracked and
 * untracked, not ignored) under BUILD_INPUTS, or every file there when this is not a git checkout.
 */
export function sourceHash(root) {
  const git = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', ...BUILD_INPUTS], { cwd: root, encoding: 'utf8' });
  const files = (git.status === 0 ? git.stdout.split('\n').filter(Boolean) : BUILD_INPUTS.flatMap((e) => listFiles(root, e))).filter((f) => !SKIPPED.test(f)).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue; // deleted in the working tree, still in the index
    hash.update(`${file}\0`).update(readFileSync(full)).update('\0');
  }
  return hash.digest('hex');
}
