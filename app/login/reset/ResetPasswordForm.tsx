'use client';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

export function ResetPasswordForm({ token }: { token: string }) {
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (form.get('password') !== form.get('repeat')) return setError('The two passwords differ.');
    setBusy(true);
    setError(null);
    try {
      const { username } = await trpc.auth.resetPassword.mutate({ token, newPassword: String(form.get('password')) });
      setDone(username);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }
  if (done)
    return (
      <p className="notice" role="status">
        The password of {done} is set. <Link href="/login">Log in</Link>.
      </p>
    );
  return (
    <form onSubmit={onSubmit} aria-label="Set a new password">
      <label>
        New password (at least 12 characters)
        <input name="password" type="password" autoComplete="new-password" required minLength={12} />
      </label>
      <label>
        Repeat it
        <input name="repeat" type="password" autoComplete="new-password" required minLength={12} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Set password
      </button>
    </form>
  );
}
