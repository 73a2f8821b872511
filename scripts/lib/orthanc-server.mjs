// Starts a throwaway Orthanc PACS (Debian `orthanc` + `orthanc-dicomweb`) with its DICOMweb plugin
// on a free loopback port and its own storage folder: the tests' PACS, and the demo's when
// SEGTRIAL_PACS=demo runs beside `npm start`. Plain Node (no dependencies), like postgres-server.mjs.
// Basic authentication is on (user `segtrial`), so the client's credentials path is exercised too.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './postgres-server.mjs';

const ORTHANC = '/usr/sbin/Orthanc';
const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';

/**
 * Starts Orthanc; resolves once its REST API answers. Returns { url, dicomWebUrl, username,
 * password, port, storageDir, stop(), destroy() }. `storageDir` given: kept across runs (the demo);
 * otherwise a temporary folder removed by destroy().
 */
export async function startOrthanc({ port, storageDir, username = 'segtrial', password = 'segtrial-pacs', log = false } = {}) {
  if (!existsSync(ORTHANC) || !existsSync(DICOMWEB_PLUGIN)) throw new Error('Orthanc with DICOMweb not found: apt-get install -y orthanc orthanc-dicomweb');
  const base = mkdtempSync(path.join(os.tmpdir(), 'segtrial-orthanc-'));
  const storage = storageDir ?? path.join(base, 'storage');
  mkdirSync(storage, { recursive: true });
  const httpPort = port ?? (await freePort());
  const config = {
    Name: 'SEGTRIAL_PACS',
    StorageDirectory: storage,
    IndexDirectory: storage,
    HttpPort: httpPort,
    // Loopback only; no DICOM (DIMSE) listener: everything goes over DICOMweb.
    RemoteAccessAllowed: false,
    DicomServerEnabled: false,
    AuthenticationEnabled: true,
    RegisteredUsers: { [username]: password },
    Plugins: [DICOMWEB_PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/', EnableWado: false, StudiesMetadata: 'MainDicomTags', SeriesMetadata: 'Full' },
    StableAge: 1,
    HttpTimeout: 60,
    StorageCompression: false,
    MaximumStorageSize: 0,
  };
  const configFile = path.join(base, 'orthanc.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const child = spawn(ORTHANC, [configFile, ...(log ? [] : ['--logdir=' + base])], { stdio: log ? 'inherit' : 'ignore' });
  let exited = null;
  child.on('exit', (code) => (exited = code));
  const url = `http://127.0.0.1:${httpPort}`;
  const auth = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`Orthanc exited (${exited}) during start-up; config ${configFile}`);
    try {
      const res = await fetch(`${url}/system`, { headers: { authorization: auth } });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Orthanc did not answer within 60 s');
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const server = {
    url,
    dicomWebUrl: `${url}/dicom-web`,
    username,
    password,
    port: httpPort,
    storageDir: storage,
    pid: child.pid,
    /** Stop the process (SIGTERM, then SIGKILL after 10 s); resolves when it has exited. */
    stop() {
      if (exited !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
    async destroy() {
      await server.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
  return server;
}

/** Where the e2e server (scripts/e2e-server.mjs) says which Orthanc its app uses: one file per app port. */
export function e2ePacsInfoFile(port) {
  return path.join(os.tmpdir(), `segtrial-e2e-pacs-${port}.json`);
}
