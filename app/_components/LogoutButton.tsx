'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../_lib/trpc-client';

export function LogoutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      className="secondary"
      style={{ color: '#fff' }}
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await trpc.auth.logout.mutate();
        } finally {
          router.replace('/login');
          router.refresh();
        }
      }}
    >
      Log out
    </button>
  );
}
