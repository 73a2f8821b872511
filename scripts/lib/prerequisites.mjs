// Makes sure the machine has what SegTrial needs: Debian packages (installed with apt when running
// as root, otherwise the exact command is printed) and the npm dependencies. Plain Node, no imports
// from node_modules, so it works on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Debian packages, each with a file whose presence shows it is installed. */
export const SYSTEM_PACKAGES = {
  chromium: () => existsSync('/usr/bin/chromium'),
  postgresql: () =>
    existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)),
  'mricron-data': () => existsSync('/usr/share/mricron/templates/ch2bet.nii.gz'),
  // The model's training scripts (models/training) and their CI smoke run: Debian's PyTorch and friends.
  'python3-torch': () => existsSync('/usr/lib/python3/dist-packages/torch/__init__.py'),
  'python3-nibabel': () => existsSync('/usr/lib/python3/dist-packages/nibabel/__init__.py'),
  'python3-scipy': () => existsSync('/usr/lib/python3/dist-packages/scipy/__init__.py'),
  'python3-onnx': () => existsSync('/usr/lib/python3/dist-packages/onnx/__init__.py'),
};

export function run(cmd, args, options = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}

export function ensureSystemPackages(names) {
  const missing = names.filter((name) => !SYSTEM_PACKAGES[name]());
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(`SegTrial needs these Debian packages: ${missing.join(' ')}\nRun: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], { env }) !== 0 || run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env }) !== 0) {
    console.error(`apt-get could not install: ${missing.join(' ')}`);
    process.exit(1);
  }
}

/** Runs `npm ci` when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules(root) {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  if (run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root }) !== 0) {
    console.error('npm ci failed');
    process.exit(1);
  }
}
