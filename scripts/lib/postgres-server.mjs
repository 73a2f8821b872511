// Starts a throwaway PostgreSQL server in a temporary folder, on a loopback port, for tests and
// benchmarks. Plain Node (no dependencies) so it runs before `npm ci` has finished, too.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function findPostgresBinDir() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` system user. */
function asPostgresUser(bin, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function run(bin, args) {
  const [cmd, argv] = asPostgresUser(bin, args);
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(bin)} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/**
 * Starts PostgreSQL; resolves to { url, port, dataDir, binDir, stop({ immediate }), start() }.
 * `fsync` stays on: crash tests depend on real durability.
 */
export async function startPostgres({ port } = {}) {
  const binDir = findPostgresBinDir();
  if (!binDir) throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql');
  const base = mkdtempSync(path.join(os.tmpdir(), 'segtrial-pg-'));
  chmodSync(base, 0o755);
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(base, uid, gid);
  }
  const dataDir = path.join(base, 'data');
  const pgPort = port ?? (await freePort());
  run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '-N']);
  const pgCtl = path.join(binDir, 'pg_ctl');
  const options = `-p ${pgPort} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB`;
  const server = {
    url: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
    port: pgPort,
    dataDir,
    binDir,
    start() {
      run(pgCtl, ['-D', dataDir, '-o', options, '-l', path.join(base, 'server.log'), '-w', '-t', '60', 'start']);
    },
    /** `immediate`: stop without a checkpoint, as a crash would (recovery runs at the next start). */
    stop({ immediate = false } = {}) {
      run(pgCtl, ['-D', dataDir, '-m', immediate ? 'immediate' : 'fast', '-w', 'stop']);
    },
    destroy() {
      try {
        server.stop();
      } catch {
        // already stopped
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
  server.start();
  return server;
}
