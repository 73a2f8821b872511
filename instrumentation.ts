/**
 * Runs once when the Next.js server starts: opens the database, applies migrations and, on an
 * empty database, creates the demo trial (printing its credentials once).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getRuntime } = await import('./server/runtime');
    await getRuntime();
  }
}
