import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, type DbOrTx } from '@/db/client';
import { BackupError } from './backup-error';
import { sqlRows } from './sql-rows';

export interface TableDescription {
  readonly name: string;
  readonly selfReferences: { readonly columns: string[]; readonly refColumns: string[] }[];
}

export interface DatabaseDescription {
  /** Public tables in load order: each after every table it references. */
  readonly tables: readonly TableDescription[];
  readonly sequences: readonly string[];
  readonly schema: { readonly lastMigration: string; readonly migrationMillis: number; readonly migrationsApplied: number } | null;
}

export interface JournalEntry {
  readonly idx: number;
  readonly when: number;
  readonly tag: string;
}

/** The migrations this version of SegTrial knows, in order (drizzle-kit's journal). */
export function readMigrationJournal(folder = MIGRATIONS_FOLDER): JournalEntry[] {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: JournalEntry[] };
  return journal.entries;
}

/**
 * Reads the catalog: the public tables ordered so that referenced tables load first (foreign keys
 * are not deferrable here), their self-references, the sequences, and the last applied migration
 * (null on a database that was never migrated).
 */
export async function describeDatabase(db: DbOrTx): Promise<DatabaseDescription> {
  const tableRows = await sqlRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`,
  );
  const fkRows = await sqlRows<{ table: string; ref_table: string; columns: string; ref_columns: string }>(
    db,
    sql`select cl.relname as "table", rc.relname as ref_table,
          (select json_agg(a.attname order by k.ord) from unnest(co.conkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.attnum)::text as columns,
          (select json_agg(a.attname order by k.ord) from unnest(co.confkey) with ordinality k(attnum, ord) join pg_attribute a on a.attrelid = co.confrelid and a.attnum = k.attnum)::text as ref_columns
        from pg_constraint co
        join pg_class cl on cl.oid = co.conrelid
        join pg_class rc on rc.oid = co.confrelid
        join pg_namespace n on n.oid = cl.relnamespace
        where co.contype = 'f' and n.nspname = 'public'
        order by 1, 2, co.conname`,
  );
  const sequences = await sqlRows<{ name: string }>(db, sql`select sequencename as name from pg_sequences where schemaname = 'public' order by 1`);

  const names = tableRows.map((r) => r.name);
  const dependsOn = new Map(names.map((n) => [n, new Set<string>()]));
  const selfRefs = new Map(names.map((n) => [n, [] as TableDescription['selfReferences']]));
  for (const fk of fkRows) {
    if (fk.table === fk.ref_table) selfRefs.get(fk.table)?.push({ columns: JSON.parse(fk.columns) as string[], refColumns: JSON.parse(fk.ref_columns) as string[] });
    else dependsOn.get(fk.table)?.add(fk.ref_table);
  }
  // Depth-first topological order; names are visited alphabetically so the order is stable.
  const ordered: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new BackupError('MANIFEST_INVALID', name, `foreign keys form a cycle (${[...trail, name].join(' -> ')}); a logical backup needs an order to load them`);
    state.set(name, 'visiting');
    for (const dep of [...(dependsOn.get(name) ?? [])].sort()) visit(dep, [...trail, name]);
    state.set(name, 'done');
    ordered.push(name);
  };
  for (const name of names) visit(name, []);

  return {
    tables: ordered.map((name) => ({ name, selfReferences: selfRefs.get(name) ?? [] })),
    sequences: sequences.map((s) => s.name),
    schema: await readSchemaVersion(db),
  };
}

async function readSchemaVersion(db: DbOrTx): Promise<DatabaseDescription['schema']> {
  const [exists] = await sqlRows<{ present: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!exists?.present) return null;
  const [last] = await sqlRows<{ created_at: string | number; n: string | number }>(db, sql`select max(created_at)::text as created_at, count(*)::text as n from drizzle.__drizzle_migrations`);
  if (!last || last.created_at === null || Number(last.n) === 0) return null;
  const millis = Number(last.created_at);
  const entry = readMigrationJournal().find((e) => e.when === millis);
  if (!entry) {
    throw new BackupError(
      'SCHEMA_UNKNOWN',
      'drizzle.__drizzle_migrations',
      `the last applied migration (${millis}) is not in this version's db/migrations; use the SegTrial version that made the database`,
    );
  }
  return { lastMigration: entry.tag, migrationMillis: millis, migrationsApplied: Number(last.n) };
}
