/** The database's own message for a refused statement (drizzle wraps it as the cause), or 'no error'. */
export async function databaseError(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
    return 'no error';
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? String(error);
  }
}
