import Link from 'next/link';

const TABS = [
  { key: 'overview', label: 'Overview', path: '' },
  { key: 'setup', label: 'Trial setup', path: '/setup' },
  { key: 'enroll', label: 'Enroll a patient', path: '/enroll' },
  { key: 'amendments', label: 'Amendments', path: '/amendments' },
] as const;

/** The trial's header: name, status, the published commitment, and the coordinator's tabs. */
export function TrialNav({ trial, current }: { trial: { id: string; name: string; status: string; commitment: string | null }; current: (typeof TABS)[number]['key'] | 'participant' }) {
  return (
    <div className="trial-head">
      <p className="muted" style={{ margin: 0 }}>
        <Link href="/coordinator">Trials</Link> ›
      </p>
      <h1>{trial.name}</h1>
      <p className="subtitle">
        <span className={`badge ${trial.status === 'live' ? 'ok' : trial.status === 'test' ? 'warn' : ''}`} data-testid="trial-status">
          {trial.status === 'test' ? 'test mode' : trial.status}
        </span>{' '}
        {trial.commitment ? (
          <span title="SHA-256 of the seed, parameters and algorithm version, published when randomization started">
            commitment <code data-testid="commitment-hash">{trial.commitment}</code>
          </span>
        ) : (
          <span>no randomization seed committed yet</span>
        )}
      </p>
      <nav className="tabs" aria-label="Trial">
        {TABS.map((tab) => (
          <Link key={tab.key} href={`/coordinator/${trial.id}${tab.path}`} aria-current={tab.key === current ? 'page' : undefined}>
            {tab.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
