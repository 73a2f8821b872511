/**
 * Runs once when the Next.js server starts: opens the database, applies migrations and, on an
 * empty database, creates the demo trial (printing its credentials once).
 *
 * A failure here must not leave a server that answers 500 forever (Next.js keeps a failed
 * instrumentation hook's error): an embedded database held by another process cannot come right by
 * waiting, so the process exits with the reason; an unreachable PostgreSQL may come back, so the
 * server keeps running and each request retries opening it (answering 503 meanwhile).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getRuntime } = await import('./server/runtime');
    try {
      await getRuntime();
    } catch (error) {
      // By name: Next.js may bundle db/data-dir-lock.ts more than once, so instanceof can miss.
      if (error instanceof Error && error.name === 'DataDirLockedError') {
        console.error(`SegTrial cannot start: ${error.message}`);
        process.exit(1);
      }
      console.error('SegTrial: the database is not available at start-up; requests retry it and answer 503 until it is:', error instanceof Error ? error.message : error);
    }
  }
}
