/**
 * Content-addressed storage on the local file system: an object's name is the SHA-256 of its bytes,
 * stored at `<root>/sha256/<first 2 hex>/<64 hex>`. The root is passed in (never read from the
 * environment). Writes are atomic: bytes go to a unique temporary file in the same folder, are
 * fsync'ed, then renamed onto the final name (and the folder fsync'ed), so a reader sees a whole object
 * or none. Writing an object that exists is a no-op (same name ⇒ same bytes).
 *
 * `putAll` stores several objects as a unit: if any write fails, the objects this call created are
 * removed again, so a failed study leaves nothing behind (objects that existed before are kept).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface StoredObject {
  readonly sha256: string;
  readonly bytes: number;
  /** Absolute path of the object file. */
  readonly path: string;
  /** False when an identical object was already stored. */
  readonly created: boolean;
}

export interface ContentStore {
  readonly root: string;
  put(bytes: Uint8Array): Promise<StoredObject>;
  putAll(objects: readonly Uint8Array[]): Promise<StoredObject[]>;
  get(sha256: string): Promise<Uint8Array>;
  has(sha256: string): Promise<boolean>;
  pathOf(sha256: string): string;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const hexPattern = /^[0-9a-f]{64}$/;

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function createContentStore(root: string): ContentStore {
  const absRoot = path.resolve(root);
  const pathOf = (sha256: string) => {
    if (!hexPattern.test(sha256)) throw new RangeError(`'${sha256}' is not a lower-case SHA-256 hex digest`);
    return path.join(absRoot, 'sha256', sha256.slice(0, 2), sha256);
  };

  async function put(bytes: Uint8Array): Promise<StoredObject> {
    const sha256 = sha256Hex(bytes);
    const file = pathOf(sha256);
    if (await exists(file)) return { sha256, bytes: bytes.length, path: file, created: false };
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(tmp, 'wx');
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    await fsyncDir(dir);
    return { sha256, bytes: bytes.length, path: file, created: true };
  }

  async function putAll(objects: readonly Uint8Array[]): Promise<StoredObject[]> {
    const done: StoredObject[] = [];
    try {
      for (const bytes of objects) done.push(await put(bytes));
      return done;
    } catch (error) {
      await Promise.all(done.filter((o) => o.created).map((o) => rm(o.path, { force: true })));
      throw error;
    }
  }

  return {
    root: absRoot,
    put,
    putAll,
    pathOf,
    has: (sha256) => exists(pathOf(sha256)),
    async get(sha256) {
      const bytes = new Uint8Array(await readFile(pathOf(sha256)));
      const actual = sha256Hex(bytes);
      if (actual !== sha256) throw new Error(`stored object ${sha256} is corrupt: its bytes hash to ${actual}`);
      return bytes;
    },
  };
}
