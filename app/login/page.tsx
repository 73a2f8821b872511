import { redirect } from 'next/navigation';
import { currentUser, isLocalPath, ROLE_HOME } from '../_lib/session';
import { LoginForm } from './LoginForm';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const returnTo = typeof next === 'string' && isLocalPath(next) ? next : null;
  const user = await currentUser();
  if (user) redirect(returnTo ?? ROLE_HOME[user.role]);
  return (
    <main>
      <div className="panel login-card">
        <h1>SegTrial</h1>
        <p className="subtitle">Randomized trial of AI-assisted brain-tumor MRI review</p>
        {returnTo && (
          <p className="notice" data-testid="login-return">
            Log in to continue to {returnTo.split('?')[0]}.
          </p>
        )}
        <LoginForm returnTo={returnTo} />
        <div className="muted" style={{ fontSize: 13, marginTop: 12 }} data-testid="account-help">
          <p style={{ margin: '0 0 6px' }}>
            <strong>Where accounts come from.</strong> There is no self sign-up: your trial&apos;s administrator creates your account (Admin → Users), gives it a role and the trial sites you work at,
            and hands you a first password or a one-time link to set one.
          </p>
          <p style={{ margin: 0 }}>
            Forgotten password or account locked? Ask the administrator for a one-time reset link or to unlock it. The very first administrator of a new installation is created on the command line
            (`segtrial user add --role admin`).
          </p>
        </div>
      </div>
    </main>
  );
}
