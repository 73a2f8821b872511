import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { sqlRows } from '../backup/sql-rows';

/** What this file needs of an embedded PGlite client (drizzle's `$client` on that driver). */
interface EmbeddedClient {
  query<T>(text: string): Promise<{ rows: T[] }>;
  exec(text: string): Promise<unknown>;
  waitReady: Promise<void>;
}
const isEmbedded = (client: unknown): client is EmbeddedClient =>
  typeof client === 'object' && client !== null && 'waitReady' in client && typeof (client as EmbeddedClient).exec === 'function' && typeof (client as EmbeddedClient).query === 'function';

/**
 * The statements prepared on each embedded database, kept on the client object under a global symbol:
 * Next.js loads this module once per bundle (the tRPC route, the export route, the pages), and every
 * copy shares the one database, so a map of the module's own would prepare the same name twice.
 */
const PREPARED = Symbol.for('segtrial.preparedJsonStatements');
type WithPrepared = EmbeddedClient & { [PREPARED]?: Map<string, Promise<void>> };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The JSON of a statement answering one text column `j` (`$1`, when there is one, is a uuid).
 * On the embedded database (PGlite) the statement is prepared once per database under `name` and
 * executed by name: parsing and planning a statement of many subqueries costs it more than running
 * it (measured: the stamps' statement 3.3 ms planned every time, 1.2 ms prepared), and it has one
 * connection, so the prepared statement lives as long as the database. PostgreSQL, and any call
 * inside a transaction, runs the statement as it is.
 */
export async function readJsonStatement<T>(db: DbOrTx, name: string, text: string, uuid?: string): Promise<T> {
  const client = (db as { $client?: unknown }).$client;
  if (isEmbedded(client) && (uuid === undefined || UUID.test(uuid))) {
    const names = ((client as WithPrepared)[PREPARED] ??= new Map());
    const run = `execute ${name}${uuid === undefined ? '' : `('${uuid}')`}`;
    // "Already exists" (42P05) means another copy prepared it first, from the same statement text.
    const prepare = () =>
      client.exec(`prepare ${name}${uuid === undefined ? '' : '(uuid)'} as ${text}`).then(
        () => undefined,
        (error: unknown) => {
          if ((error as { code?: string }).code !== '42P05') throw error;
        },
      );
    // The promise is kept before it settles, so concurrent first calls prepare once.
    let ready = names.get(name);
    if (!ready) {
      names.set(name, (ready = prepare()));
      ready.catch(() => names.delete(name));
    }
    await ready;
    try {
      return JSON.parse((await client.query<{ j: string }>(run)).rows[0]!.j) as T;
    } catch (error) {
      // Prepared statements dropped meanwhile (DEALLOCATE ALL, DISCARD ALL): prepare again once.
      if ((error as { code?: string }).code !== '26000') throw error;
      names.set(name, (ready = prepare()));
      await ready;
      return JSON.parse((await client.query<{ j: string }>(run)).rows[0]!.j) as T;
    }
  }
  const pieces = text.split('$1');
  const [row] = await sqlRows<{ j: string }>(
    db,
    sql.join(
      pieces.map((p) => sql.raw(p)),
      sql`${uuid}`,
    ),
  );
  return JSON.parse(row!.j) as T;
}
