import { redirect } from 'next/navigation';
import { currentUser, ROLE_HOME } from '../_lib/session';
import { LoginForm } from './LoginForm';

export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  const user = await currentUser();
  if (user) redirect(ROLE_HOME[user.role]);
  return (
    <main>
      <div className="panel login-card">
        <h1>SegTrial</h1>
        <p className="subtitle">Randomized trial of AI-assisted brain-tumor MRI review</p>
        <LoginForm />
      </div>
    </main>
  );
}
