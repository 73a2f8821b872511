import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';

/**
 * Fixes the session settings that change how row_to_json renders values, for the current
 * transaction: timestamps with time zone in UTC, floats in their shortest exact form. A backup and
 * the re-rendering of its restored rows then produce the same text on any server.
 */
export async function setRenderingSettings(tx: Tx): Promise<void> {
  await tx.execute(sql`set local timezone = 'UTC'`);
  await tx.execute(sql`set local extra_float_digits = 1`);
}
