'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { describeError } from '../../coordinator/_components/describe-error';
import { trpc } from '../../_lib/trpc-client';

type Outputs = inferRouterOutputs<AppRouter>;
type User = Outputs['admin']['listUsers'][number];
type Trial = Outputs['trials']['list'][number];
const ROLES = ['admin', 'coordinator', 'clinician', 'statistician', 'monitor'] as const;
type Role = (typeof ROLES)[number];

/**
 * Account administration: create accounts with their role and trial/site access, change the blinding
 * variant and the right to randomize per trial, deactivate, unlock, and issue one-time
 * password-reset links. Every action is a role-checked, audited API call.
 */
export function UserAdmin({ users, trials, currentUserId }: { users: User[]; trials: Trial[]; currentUserId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string; link?: string } | null>(null);
  const now = new Date();
  const siteName = (trialId: string, siteId: string | null) => (siteId ? (trials.find((t) => t.id === trialId)?.sites.find((s) => s.id === siteId)?.code ?? siteId.slice(0, 8)) : 'all sites');

  async function act(run: () => Promise<string | { text: string; link?: string }>) {
    setMessage(null);
    try {
      const result = await run();
      setMessage(typeof result === 'string' ? { kind: 'ok', text: result } : { kind: 'ok', ...result });
      router.refresh();
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    }
  }
  const absolute = (path: string) => `${window.location.origin}${path}`;

  return (
    <section className="panel" aria-label="Accounts">
      <h2>Accounts</h2>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="admin-message">
          {message.text}
          {message.link && (
            <>
              {' '}
              <code data-testid="reset-link">{message.link}</code>
            </>
          )}
        </p>
      )}
      <table data-testid="accounts">
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Role</th>
            <th>Trial access</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => {
            const locked = u.lockedUntil !== null && u.lockedUntil > now;
            return (
              <tr key={u.id} data-username={u.username}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{u.role}</td>
                <td style={{ fontSize: 13 }}>
                  {u.memberships.length === 0
                    ? '—'
                    : u.memberships.map((m) => (
                        <div key={m.id}>
                          {m.trialName}: {m.siteCode ?? 'all sites'}
                          {m.armAccess ? ` · ${m.armAccess}` : ''}
                          {u.role === 'coordinator' && !m.mayRandomize ? ' · may not randomize' : ''}{' '}
                          <button
                            type="button"
                            className="secondary small"
                            onClick={() =>
                              void act(
                                async () => (await trpc.admin.revokeMembership.mutate({ membershipId: m.id }), `Access of ${u.username} to ${m.trialName} (${m.siteCode ?? 'all sites'}) removed.`),
                              )
                            }
                          >
                            Remove
                          </button>
                        </div>
                      ))}
                </td>
                <td>{u.disabled ? <span className="badge bad">deactivated</span> : locked ? <span className="badge warn">locked</span> : <span className="badge ok">active</span>}</td>
                <td style={{ whiteSpace: 'nowrap' }}>
                  {locked && (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => void act(async () => (await trpc.admin.updateUser.mutate({ userId: u.id, unlock: true }), `${u.username} unlocked.`))}
                    >
                      Unlock
                    </button>
                  )}{' '}
                  {u.id !== currentUserId && (
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() =>
                        void act(async () => (await trpc.admin.updateUser.mutate({ userId: u.id, disabled: !u.disabled }), `${u.username} ${u.disabled ? 'reactivated' : 'deactivated'}.`))
                      }
                    >
                      {u.disabled ? 'Reactivate' : 'Deactivate'}
                    </button>
                  )}{' '}
                  <button
                    type="button"
                    className="secondary small"
                    onClick={() =>
                      void act(async () => {
                        const reset = await trpc.admin.issuePasswordReset.mutate({ userId: u.id });
                        return {
                          text: `One-time reset link for ${u.username}, valid until ${reset.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC. Hand it over privately; it is shown only now:`,
                          link: absolute(reset.path),
                        };
                      })
                    }
                  >
                    Reset link
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <CreateUserForm trials={trials} onCreate={(run) => void act(run)} absolute={absolute} />
      <GrantForm users={users} trials={trials} siteName={siteName} onGrant={(run) => void act(run)} />
    </section>
  );
}

function TrialSiteSelect({ trials, value, onChange }: { trials: Trial[]; value: string; onChange: (value: string) => void }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="Trial and site">
      <option value="">no trial access yet</option>
      {trials.map((t) => (
        <optgroup key={t.id} label={t.name}>
          <option value={`${t.id}|`}>{t.name}: all sites</option>
          {t.sites.map((s) => (
            <option key={s.id} value={`${t.id}|${s.id}`}>
              {t.name}: {s.code} ({s.name})
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

function CreateUserForm({ trials, onCreate, absolute }: { trials: Trial[]; onCreate: (run: () => Promise<string | { text: string; link?: string }>) => void; absolute: (path: string) => string }) {
  const [role, setRole] = useState<Role>('clinician');
  const [access, setAccess] = useState('');
  const [armAccess, setArmAccess] = useState<'' | 'blinded' | 'unblinded'>('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    const [trialId, siteId] = access.split('|');
    onCreate(async () => {
      const created = await trpc.admin.createUser.mutate({
        username: String(form.get('username')),
        displayName: String(form.get('displayName')),
        role,
        memberships: trialId ? [{ trialId, siteId: siteId || null, armAccess: armAccess || (role === 'monitor' ? 'blinded' : null), mayRandomize: form.get('mayRandomize') !== null }] : [],
      });
      formEl.reset();
      return { text: `Account ${created.username} created. Its one-time link to set a password (shown only now):`, link: created.resetPath ? absolute(created.resetPath) : undefined };
    });
  }
  return (
    <form onSubmit={submit} aria-label="Create an account" className="subform" style={{ marginTop: 12 }}>
      <h3>Create an account</h3>
      <div className="row" style={{ display: 'flex', gap: 10, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <label>
          Username
          <input name="username" required minLength={3} maxLength={40} pattern="[a-z][a-z0-9._\-]{2,39}" />
        </label>
        <label>
          Name
          <input name="displayName" required maxLength={120} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label="Role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trial access
          <TrialSiteSelect trials={trials} value={access} onChange={setAccess} />
        </label>
        {(role === 'monitor' || role === 'statistician' || role === 'coordinator') && (
          <label>
            Allocations
            <select value={armAccess} onChange={(e) => setArmAccess(e.target.value as typeof armAccess)} aria-label="Allocations">
              <option value="">{role === 'monitor' ? 'blinded (sees no arm)' : 'role default'}</option>
              <option value="blinded">blinded (sees no arm)</option>
              <option value="unblinded">unblinded (sees allocations)</option>
            </select>
          </label>
        )}
        {role === 'coordinator' && (
          <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
            <input type="checkbox" name="mayRandomize" defaultChecked style={{ width: 'auto', margin: 0 }} /> may randomize
          </label>
        )}
        <button type="submit">Create account</button>
      </div>
      <p className="muted" style={{ fontSize: 13 }}>
        The new user sets their own password through a one-time link (valid 24 hours); nobody else learns it.
      </p>
    </form>
  );
}

function GrantForm({ users, trials, onGrant }: { users: User[]; trials: Trial[]; siteName: (trialId: string, siteId: string | null) => string; onGrant: (run: () => Promise<string>) => void }) {
  const [userId, setUserId] = useState('');
  const [access, setAccess] = useState('');
  const [armAccess, setArmAccess] = useState<'' | 'blinded' | 'unblinded'>('');
  const [mayRandomize, setMayRandomize] = useState(true);
  function submit(event: FormEvent) {
    event.preventDefault();
    const [trialId, siteId] = access.split('|');
    if (!userId || !trialId) return;
    onGrant(async () => {
      await trpc.admin.setMembership.mutate({ userId, trialId, siteId: siteId || null, armAccess: armAccess || null, mayRandomize });
      return 'Trial access saved.';
    });
  }
  return (
    <form onSubmit={submit} aria-label="Grant trial access" className="subform" style={{ marginTop: 12 }}>
      <h3>Trial access</h3>
      <div style={{ display: 'flex', gap: 10, flexWrap: 'wrap', alignItems: 'flex-end' }}>
        <label>
          Account
          <select value={userId} onChange={(e) => setUserId(e.target.value)} aria-label="Account">
            <option value="">choose…</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.username} ({u.role})
              </option>
            ))}
          </select>
        </label>
        <label>
          Trial and site
          <TrialSiteSelect trials={trials} value={access} onChange={setAccess} />
        </label>
        <label>
          Allocations
          <select value={armAccess} onChange={(e) => setArmAccess(e.target.value as typeof armAccess)}>
            <option value="">role default</option>
            <option value="blinded">blinded (sees no arm)</option>
            <option value="unblinded">unblinded (sees allocations)</option>
          </select>
        </label>
        <label style={{ display: 'flex', gap: 4, alignItems: 'center' }}>
          <input type="checkbox" checked={mayRandomize} onChange={(e) => setMayRandomize(e.target.checked)} style={{ width: 'auto', margin: 0 }} /> may randomize (coordinators)
        </label>
        <button type="submit" disabled={!userId || !access}>
          Save access
        </button>
      </div>
    </form>
  );
}
