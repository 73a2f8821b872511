'use client';
import { useRouter } from 'next/navigation';
import { trpc } from '../_lib/trpc-client';
import { FormError, useSubmit } from '../_lib/use-submit';

const HOME = { admin: '/admin', coordinator: '/coordinator', clinician: '/clinician', statistician: '/statistician', monitor: '/monitor', dsmb: '/dsmb' } as const;

/** Logs in, then opens the page that was asked for (`returnTo`, a local path) or the role's home. */
export function LoginForm({ returnTo }: { returnTo: string | null }) {
  const router = useRouter();
  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      const { user } = await trpc.auth.login.mutate({ username: String(form.get('username')), password: String(form.get('password')) });
      router.replace(returnTo ?? HOME[user.role]);
      // The layout's session-dependent parts (navigation, user name) are server-rendered.
      router.refresh();
    },
    undefined,
    { leaves: true },
  );

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
      <FormError error={error} />
      <button type="submit" disabled={busy}>
        {busy ? 'Logging in…' : 'Log in'}
      </button>
    </form>
  );
}
