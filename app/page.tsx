import { redirect } from 'next/navigation';
import { currentUser, ROLE_HOME } from './_lib/session';

export const dynamic = 'force-dynamic';

export default async function Home() {
  const user = await currentUser();
  redirect(user ? ROLE_HOME[user.role] : '/login');
}
