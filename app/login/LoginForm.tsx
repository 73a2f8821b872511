'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage, trpc } from '../_lib/trpc-client';

const HOME = { admin: '/admin', coordinator: '/coordinator', clinician: '/clinician', statistician: '/statistician', monitor: '/monitor', dsmb: '/dsmb' } as const;

/** Logs in, then opens the page that was asked for (`returnTo`, a local path) or the role's home. */
export function LoginForm({ returnTo }: { returnTo: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { user } = await trpc.auth.login.mutate({ username: String(form.get('username')), password: String(form.get('password')) });
      router.replace(returnTo ?? HOME[user.role]);
      router.refresh();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={onSubmit} aria-label="Log in">
      <label>
        Username
        <input name="username" autoComplete="username" required autoFocus />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
