/**
 * Loads a backup's rows into a database whose schema is at the backup's migration (and empty), in
 * one transaction: a failure leaves the tables empty. Tables load in the manifest's order (parents
 * first); rows of a self-referencing table are ordered parents first; sequences are set to where
 * they stood. Returns, per table, the row-set digest of the lines loaded (row-set-digest.ts), which
 * the verifier compares with the restored rows rendered again.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Database, Tx } from '@/db/client';
import { BackupError } from './backup-error';
import type { BackupManifest, BackupTable } from './backup-format';
import { setRenderingSettings } from './rendering-settings';
import { RowSetDigest } from './row-set-digest';
import { quoteIdent } from './sql-rows';

/** Rows per INSERT, and a cap on the characters of one statement's JSON parameter. */
const BATCH_ROWS = 500;
const BATCH_CHARS = 4_000_000;

export async function loadBackupIntoDatabase({ db, dir, manifest }: { db: Database; dir: string; manifest: BackupManifest }): Promise<Map<string, RowSetDigest>> {
  const digests = new Map<string, RowSetDigest>();
  await db.transaction(async (tx) => {
    await setRenderingSettings(tx);
    for (const table of manifest.tables) digests.set(table.name, await loadTable(tx, dir, table));
    for (const seq of manifest.sequences) {
      if (seq.lastValue !== null) await tx.execute(sql`select setval(${quoteIdent(seq.name)}::regclass, ${seq.lastValue}::bigint, true)`);
    }
  });
  return digests;
}

async function* readLines(dir: string, table: BackupTable): AsyncGenerator<string> {
  const input = createReadStream(path.join(dir, table.file)).pipe(createGunzip());
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line.length > 0) yield line;
  } catch (error) {
    throw new BackupError('FILE_CORRUPT', table.file, `cannot be read to the end (${(error as Error).message})`);
  }
}

async function loadTable(tx: Tx, dir: string, table: BackupTable): Promise<RowSetDigest> {
  const digest = new RowSetDigest();
  const insert = async (lines: string[]) => {
    if (lines.length === 0) return;
    const rows = `[${lines.join(',')}]`;
    // The JSON is parsed by PostgreSQL into the table's own row type, the inverse of row_to_json.
    await tx.execute(sql`insert into ${sql.raw(quoteIdent(table.name))} overriding system value select * from json_populate_recordset(null::${sql.raw(quoteIdent(table.name))}, ${rows}::json)`);
  };
  const source = table.selfReferences.length > 0 ? parentsFirst(table, await collect(readLines(dir, table))) : readLines(dir, table);
  let batch: string[] = [];
  let chars = 0;
  for await (const line of source) {
    digest.add(line);
    batch.push(line);
    chars += line.length;
    if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) {
      await insert(batch);
      batch = [];
      chars = 0;
    }
  }
  await insert(batch);
  if (digest.count !== table.rows) throw new BackupError('ROW_COUNT_MISMATCH', table.file, `holds ${digest.count} rows; the manifest says ${table.rows}`);
  return digest;
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** Orders rows so that a row comes after the row its self-reference points to. */
function* parentsFirst(table: BackupTable, lines: string[]): Generator<string> {
  const rows = lines.map((line) => ({ line, row: JSON.parse(line) as Record<string, unknown> }));
  const keyOf = (row: Record<string, unknown>, columns: readonly string[]) => JSON.stringify(columns.map((c) => row[c] ?? null));
  const present = table.selfReferences.map((ref) => new Set(rows.map(({ row }) => keyOf(row, ref.refColumns))));
  const placed = table.selfReferences.map(() => new Set<string>());
  let pending = rows;
  while (pending.length > 0) {
    const next: typeof rows = [];
    const ready: typeof rows = [];
    for (const r of pending) {
      const waits = table.selfReferences.some((ref, i) => {
        const values = ref.columns.map((c) => r.row[c] ?? null);
        if (values.some((v) => v === null)) return false;
        const key = JSON.stringify(values);
        return present[i]!.has(key) && !placed[i]!.has(key);
      });
      (waits ? next : ready).push(r);
    }
    if (ready.length === 0) throw new BackupError('INVARIANT_VIOLATED', table.file, 'rows reference each other in a cycle');
    for (const r of ready) {
      table.selfReferences.forEach((ref, i) => placed[i]!.add(keyOf(r.row, ref.refColumns)));
      yield r.line;
    }
    pending = next;
  }
}
