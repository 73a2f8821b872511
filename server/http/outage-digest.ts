/**
 * The digest a server-rendered page's error carries when the database could not be reached, so
 * the error page (app/error.tsx) can say so and retry instead of showing a bare failure. Next.js
 * keeps an error's own digest (it hides the message in production). No imports: the error page is
 * a client component.
 */
export const DATABASE_UNAVAILABLE_DIGEST = 'SEGTRIAL_DATABASE_UNAVAILABLE';
