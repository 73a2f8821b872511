import { ResetPasswordForm } from './ResetPasswordForm';

export const dynamic = 'force-dynamic';

/** The page a one-time password-reset link opens: the user chooses a new password. */
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <main>
      <div className="panel login-card">
        <h1>Set your password</h1>
        {typeof token === 'string' && token.length >= 20 ? <ResetPasswordForm token={token} /> : <p className="error">This link is incomplete. Ask your administrator for a new one.</p>}
      </div>
    </main>
  );
}
