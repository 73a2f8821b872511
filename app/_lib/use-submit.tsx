'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage } from './trpc-client';

/**
 * The life of a form that changes something on the server: while `action` runs the form is busy;
 * when it succeeds the page's server data is refreshed (router.refresh) and `onDone` runs; when it
 * fails, the server's typed message is kept to show with <FormError />.
 */
export function useSubmit(action: () => Promise<void>, onDone?: () => void) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone?.();
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, onSubmit };
}

/** The refusal of the last submission, announced to screen readers. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}
