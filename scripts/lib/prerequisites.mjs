// Makes sure the machine has what SegTrial needs: Debian packages (installed with apt when running
// as root, otherwise the exact command is printed) and the npm dependencies. Plain Node, no imports
// from node_modules, so it works on a fresh clone.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Debian packages, each with a file whose presence shows it is installed. */
export const SYSTEM_PACKAGES = {
  chromium: () => existsSync('/usr/bin/chromium'),
  postgresql: () => existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)),
  'mricron-data': () => existsSync('/usr/share/mricron/templates/ch2bet.nii.gz'),
  // The model's training scripts (models/training) and their CI smoke run: Debian's PyTorch and friends.
  'python3-torch': () => existsSync('/usr/lib/python3/dist-packages/torch/__init__.py'),
  'python3-nibabel': () => existsSync('/usr/lib/python3/dist-packages/nibabel/__init__.py'),
  'python3-scipy': () => existsSync('/usr/lib/python3/dist-packages/scipy/__init__.py'),
  'python3-onnx': () => existsSync('/usr/lib/python3/dist-packages/onnx/__init__.py'),
  orthanc: () => existsSync('/usr/sbin/Orthanc'),
  'orthanc-dicomweb': () => existsSync('/usr/share/orthanc/plugins/libOrthancDicomWeb.so'),
  dicom3tools: () => existsSync('/usr/bin/dciodvfy'),
  'python3-pydicom': () => existsSync('/usr/lib/python3/dist-packages/pydicom/__init__.py'),
};

/** Whether dpkg has `name` installed: for packages without a known file above. */
function dpkgInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

export function run(cmd, args, options = {}) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  return result.status ?? 1;
}

/**
 * Like `run`, asynchronously, with a deadline: past `timeoutMs` the command's whole process group
 * (vitest workers, app servers, browsers it started) is killed and the status is 124, as timeout(1)
 * answers. Ctrl-C here is passed on to the group.
 */
export function runWithTimeout(cmd, args, { timeoutMs, ...options }) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', detached: true, ...options });
    let timedOut = false;
    const killGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${cmd} ${args[0] ?? ''}: no result after ${(timeoutMs / 60_000).toFixed(0)} min; stopping it.`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
    }, timeoutMs);
    const forward = () => killGroup('SIGINT');
    process.on('SIGINT', forward);
    child.on('exit', (code) => {
      clearTimeout(timer);
      process.off('SIGINT', forward);
      resolve(timedOut ? 124 : (code ?? 1));
    });
  });
}

export function ensureSystemPackages(names) {
  const missing = names.filter((name) => !(SYSTEM_PACKAGES[name] ?? (() => dpkgInstalled(name)))());
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
  // onnxruntime-node's install script would download CUDA libraries; the CPU provider ships in the
  // package (a GPU host installs with ONNXRUNTIME_NODE_INSTALL=cuda12 instead).
  const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: process.env.ONNXRUNTIME_NODE_INSTALL ?? 'skip' };
  if (run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env }) !== 0) {
    console.error('npm ci failed');
    process.exit(1);
  }
}
