import Link from 'next/link';

type TrialSummary = {
  id: string;
  name: string;
  slug: string;
  status: string;
  sites: { id: string; code: string; name: string; isExternal: boolean }[];
};

/** The caller's trials with the sites they may see (the server already narrowed both); `open` adds a link per trial. */
export function TrialsPanel({ trials, title = 'Your trials', open }: { trials: TrialSummary[]; title?: string; open?: { label: string; href: (trialId: string) => string } }) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {trials.length === 0 ? (
        <p className="muted">You are not a member of any trial yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Trial</th>
              <th>Status</th>
              <th>Sites you can see</th>
              {open && <th />}
            </tr>
          </thead>
          <tbody>
            {trials.map((t) => (
              <tr key={t.id}>
                <td>{t.name}</td>
                <td>
                  <span className="badge">{t.status}</span>
                </td>
                <td>
                  {t.sites.map((s) => (
                    <span key={s.id} className={s.isExternal ? 'badge warn' : 'badge'} style={{ marginRight: 6 }} title={s.name}>
                      {s.code}
                      {s.isExternal ? ' (external)' : ''}
                    </span>
                  ))}
                </td>
                {open && (
                  <td>
                    <Link href={open.href(t.id)}>{open.label}</Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
