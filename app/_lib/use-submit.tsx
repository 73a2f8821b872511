'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage } from './trpc-client';

export interface SubmitOptions {
  /** How a refusal reads (default: the server's message; coordinator forms name the field of a validation error). */
  readonly describe?: (error: unknown) => string;
  /** The action navigates to another page when it succeeds: the form stays busy until it goes, and this page is not refreshed. */
  readonly leaves?: boolean;
}

/**
 * The life of a call that changes something on the server: while `action` runs, `busy` is true; when
 * it succeeds the page's server data is refreshed (router.refresh), `onDone` runs and the text
 * `action` returned (if any) is kept as the notice to show; when it fails, the server's typed
 * message is kept to show with <FormError />. An action may throw an Error of its own to refuse
 * before calling the server (its message is shown the same way). For buttons outside a form.
 */
export function useAction({ describe = errorMessage, leaves = false }: SubmitOptions = {}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const run = async (action: () => Promise<string | void>, onDone?: () => void) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const text = await action();
      setNotice(text ?? null);
      onDone?.();
      if (leaves) return;
      router.refresh();
    } catch (err) {
      setError(describe(err));
    }
    setBusy(false);
  };
  return { busy, error, notice, run };
}

/** useAction for a form: `action` and `onDone` get the submitted form (read its FormData, reset it). */
export function useSubmit(action: (form: HTMLFormElement) => Promise<string | void>, onDone?: (form: HTMLFormElement) => void, options: SubmitOptions = {}) {
  const { run, ...state } = useAction(options);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // currentTarget is only set while the event is dispatched: keep the form before awaiting.
    const form = event.currentTarget;
    await run(() => action(form), onDone && (() => onDone(form)));
  };
  return { ...state, onSubmit };
}

/** The refusal of the last submission, announced to screen readers. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="error" role="alert">
      {error}
    </p>
  ) : null;
}

/** What the last submission did (the text its action returned), announced politely. */
export function FormNotice({ notice, className = 'ok' }: { notice: string | null; className?: string }) {
  return notice ? (
    <p className={className} role="status">
      {notice}
    </p>
  ) : null;
}
