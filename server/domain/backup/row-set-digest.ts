import { createHash } from 'node:crypto';

/**
 * An order-independent digest of a set of rows (their JSON lines): the XOR of each line's SHA-256.
 * Rows are distinct (every table has a primary key), so two sets with the same digest and count are
 * the same set unless someone crafted a collision; it lets a restored table be compared with its
 * backup file without sorting either in memory.
 */
export class RowSetDigest {
  private readonly acc = Buffer.alloc(32);
  count = 0;

  add(line: string): void {
    const h = createHash('sha256').update(line).digest();
    for (let i = 0; i < 32; i++) this.acc[i]! ^= h[i]!;
    this.count++;
  }

  hex(): string {
    return this.acc.toString('hex');
  }
}
