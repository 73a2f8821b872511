import Link from 'next/link';
import type { ReactNode } from 'react';
import type { Role } from '../../db/schema/roles';
import type { SessionUser } from '../../server/domain/auth/resolve-session';
import { LogoutButton } from './LogoutButton';

/** Navigation per role: each role sees only the areas it may use. */
const NAV: Record<Role, { href: string; label: string }[]> = {
  admin: [
    { href: '/admin', label: 'Administration' },
    { href: '/coordinator', label: 'Trials' },
    { href: '/monitor', label: 'Audit' },
    { href: '/statistician', label: 'Analysis' },
    { href: '/oversight', label: 'AI oversight' },
  ],
  coordinator: [{ href: '/coordinator', label: 'Trials & enrollment' }],
  clinician: [{ href: '/clinician', label: 'Worklist' }],
  statistician: [
    { href: '/statistician', label: 'Analysis' },
    { href: '/oversight', label: 'AI oversight' },
  ],
  monitor: [
    { href: '/monitor', label: 'Monitoring' },
    { href: '/statistician', label: 'Analysis' },
    { href: '/oversight', label: 'AI oversight' },
  ],
  dsmb: [{ href: '/dsmb', label: 'Data monitoring committee' }],
};

export function AppShell({ user, current, children }: { user: SessionUser; current: string; children: ReactNode }) {
  return (
    <>
      <header className="topbar">
        <span className="brand">SegTrial</span>
        <nav aria-label="Main">
          {NAV[user.role].map((item) => (
            <Link key={item.href} href={item.href} aria-current={item.href === current ? 'page' : undefined}>
              {item.label}
            </Link>
          ))}
        </nav>
        <span className="who" data-testid="current-user">
          {user.displayName} · {user.role}
        </span>
        <LogoutButton />
      </header>
      <main>{children}</main>
    </>
  );
}
