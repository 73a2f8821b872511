'use client';
import Link from 'next/link';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useSubmit } from '../../_lib/use-submit';

export function ResetPasswordForm({ token }: { token: string }) {
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit(async (formEl) => {
    const form = new FormData(formEl);
    if (form.get('password') !== form.get('repeat')) throw new Error('The two passwords differ.');
    const { username } = await trpc.auth.resetPassword.mutate({ token, newPassword: String(form.get('password')) });
    setDone(username);
  });
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
      <FormError error={error} />
      <button type="submit" disabled={busy}>
        Set password
      </button>
    </form>
  );
}
