import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { AppError } from '../../errors';

interface ForeignKey {
  readonly child: string;
  readonly column: string;
  readonly childHasId: boolean;
}

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The foreign keys that point at `table`.id, read from the catalog (so tables added later are covered). */
async function foreignKeysTo(tx: DbOrTx, table: string): Promise<ForeignKey[]> {
  const result = await tx.execute(sql`
    select child.relname as child, a.attname as column,
      exists (select 1 from pg_attribute i where i.attrelid = c.conrelid and i.attname = 'id' and not i.attisdropped) as "childHasId"
    from pg_constraint c
    join pg_class parent on parent.oid = c.confrelid
    join pg_class child on child.oid = c.conrelid
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
    where c.contype = 'f' and parent.relname = ${table} and pa.attname = 'id' and child.relnamespace = parent.relnamespace`);
  return rowsOf<ForeignKey>(result);
}

/**
 * Deletes the rows of `table` with the given ids and, first, every row that refers to them through a
 * foreign key, depth first (study → volumes, segmentations → reviews …), as the catalog declares
 * them. Used to remove test-mode participants when a trial goes live: a hand-kept list of tables
 * fell behind as tables were added (a test participant with a study blocked going live).
 * A table that refuses deletion (append-only signed records) ends it with INVALID_STATE naming it.
 */
export async function deleteWithDependents(tx: DbOrTx, table: string, ids: readonly string[], depth = 0): Promise<void> {
  if (ids.length === 0) return;
  if (depth > 12) throw new Error(`foreign keys nest deeper than 12 below ${table}`);
  const idList = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  for (const fk of await foreignKeysTo(tx, table)) {
    // A row of the same table referring to another being deleted (supersedes_id) goes in the same statement.
    if (fk.child === table) continue;
    if (fk.childHasId) {
      const children = rowsOf<{ id: string }>(await tx.execute(sql`select id::text as id from ${sql.identifier(fk.child)} where ${sql.identifier(fk.column)} in (${idList})`));
      await deleteWithDependents(
        tx,
        fk.child,
        children.map((c) => c.id),
        depth + 1,
      );
    } else {
      await deleteRefusingAsState(tx, fk.child, sql`delete from ${sql.identifier(fk.child)} where ${sql.identifier(fk.column)} in (${idList})`);
    }
  }
  await deleteRefusingAsState(tx, table, sql`delete from ${sql.identifier(table)} where id in (${idList})`);
}

async function deleteRefusingAsState(tx: DbOrTx, table: string, statement: ReturnType<typeof sql>): Promise<void> {
  try {
    await tx.execute(statement);
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
    if (code === '42501') throw new AppError('INVALID_STATE', `Test data in ${table} cannot be removed (signed or append-only records); the trial cannot go live with it.`, { table });
    throw error;
  }
}
