import { mkdtempSync, readdirSync } from 'node:fs';
import { chmod, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createContentStore, sha256Hex } from './content-store';

const listAll = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listAll(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('content-addressed store', () => {
  it('names objects by SHA-256 (known answer) and reads them back', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const store = createContentStore(root);
    const abc = new TextEncoder().encode('abc');
    const o = await store.put(abc);
    expect(o.sha256).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'); // FIPS 180-2 example
    expect(o.created).toBe(true);
    expect(o.path).toBe(path.join(root, 'sha256', 'ba', o.sha256));
    expect(new TextDecoder().decode(await store.get(o.sha256))).toBe('abc');
    expect((await store.put(abc)).created).toBe(false);
    expect(listAll(root)).toEqual([o.path]); // no temporary files left
  });

  it('refuses a corrupted object and malformed names', async () => {
    const store = createContentStore(mkdtempSync(path.join(os.tmpdir(), 'store-')));
    const o = await store.put(new Uint8Array([1, 2, 3]));
    const { writeFile } = await import('node:fs/promises');
    await writeFile(o.path, new Uint8Array([9]));
    await expect(store.get(o.sha256)).rejects.toThrow(/corrupt/);
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/not a lower-case SHA-256/);
  });

  it('putAll removes what it created when a later write fails', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'store-'));
    const store = createContentStore(root);
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2]);
    const kept = await store.put(new Uint8Array([3])); // existed before: must survive the rollback
    // Make b's shard folder unwritable so its write fails after a's succeeded.
    const { mkdir } = await import('node:fs/promises');
    const bDir = path.join(root, 'sha256', sha256Hex(b).slice(0, 2));
    await mkdir(bDir, { recursive: true });
    await chmod(bDir, 0o500);
    const asRoot = process.getuid?.() === 0; // root ignores permissions: use a file where the folder should be instead
    if (asRoot) {
      await chmod(bDir, 0o700);
      const { rm, writeFile } = await import('node:fs/promises');
      await rm(bDir, { recursive: true });
      await writeFile(bDir, 'not a folder');
    }
    await expect(store.putAll([a, new Uint8Array([3]), b])).rejects.toThrow();
    expect(await store.has(sha256Hex(a))).toBe(false);
    expect(await readFile(kept.path)).toEqual(Buffer.from([3]));
    expect(listAll(root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
