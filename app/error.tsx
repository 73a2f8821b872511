'use client';
import { useRouter } from 'next/navigation';
import { startTransition, useEffect, useState } from 'react';
import { DATABASE_UNAVAILABLE_DIGEST } from '../server/http/outage-digest';

/** Seconds between automatic retries while the database is unavailable. */
const RETRY_SECONDS = 5;

/**
 * What a page shows when its server rendering failed. A database outage (the digest set by
 * server/http/page-session.ts) says so and retries by itself every few seconds, so the page comes
 * back when the database does; anything else offers a retry and the reference to quote.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const outage = error.digest === DATABASE_UNAVAILABLE_DIGEST;
  const [seconds, setSeconds] = useState(RETRY_SECONDS);

  useEffect(() => {
    if (!outage) return;
    const timer = setInterval(() => {
      setSeconds((s) => {
        if (s > 1) return s - 1;
        // Re-render the server part and reset the boundary together, as Next.js recommends.
        startTransition(() => {
          router.refresh();
          reset();
        });
        return RETRY_SECONDS;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [outage, reset, router]);

  return (
    <main className="panel" role="alert" data-testid={outage ? 'database-unavailable' : 'page-error'}>
      {outage ? (
        <>
          <h1>The database is unavailable at the moment</h1>
          <p>Nothing was changed. This page tries again by itself in {seconds} s and comes back as soon as the database does.</p>
        </>
      ) : (
        <>
          <h1>This page could not be shown</h1>
          <p>The error has been logged{error.digest ? ` (reference ${error.digest})` : ''}.</p>
        </>
      )}
      <button
        type="button"
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        Try again now
      </button>
    </main>
  );
}
