import type { BalanceRow } from '@/server/domain/enrollment/balance-report';

/**
 * Randomized patients per site and per stratum. Per-arm counts appear only when the server sends
 * them (open-label for this viewer); otherwise totals only, because per-stratum arm counts would let
 * a coordinator predict the next allocation of a permuted block.
 */
export function BalanceDashboard({ balance, arms }: { balance: { bySite: BalanceRow[]; byStratum: BalanceRow[]; armsVisible: boolean }; arms: { key: string; label: string }[] }) {
  return (
    <section className="panel" aria-label="Balance">
      <h2>Balance by site and stratum</h2>
      {!balance.armsVisible && <p className="muted">Arms are concealed from you in this trial: counts are totals of randomized patients.</p>}
      <div className="grid" style={{ alignItems: 'start' }}>
        <BalanceTable title="Per site" rows={balance.bySite} arms={arms} armsVisible={balance.armsVisible} />
        <BalanceTable title="Per stratum" rows={balance.byStratum} arms={arms} armsVisible={balance.armsVisible} />
      </div>
    </section>
  );
}

function BalanceTable({ title, rows, arms, armsVisible }: { title: string; rows: BalanceRow[]; arms: { key: string; label: string }[]; armsVisible: boolean }) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  return (
    <table aria-label={`Balance ${title.toLowerCase()}`}>
      <caption className="muted" style={{ textAlign: 'left', paddingBottom: 4 }}>
        {title}
      </caption>
      <thead>
        <tr>
          <th>{title === 'Per site' ? 'Site' : 'Stratum'}</th>
          {armsVisible && arms.map((a) => <th key={a.key}>{a.label}</th>)}
          {armsVisible && <th>Difference</th>}
          <th>Randomized</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={armsVisible ? arms.length + 3 : 2} className="muted">
              nobody randomized yet
            </td>
          </tr>
        )}
        {rows.map((r) => {
          const counts = arms.map((a) => r.byArm?.[a.key] ?? 0);
          const diff = counts.length ? Math.max(...counts) - Math.min(...counts) : 0;
          return (
            <tr key={r.key}>
              <td>
                <code>{r.key}</code>
              </td>
              {armsVisible && counts.map((n, i) => <td key={arms[i]!.key}>{n}</td>)}
              {armsVisible && <td className={diff > 2 ? 'warn-text' : undefined}>{diff}</td>}
              <td>
                <span className="bar" style={{ width: `${Math.round((60 * r.total) / max)}px` }} /> {r.total}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
