const LABEL: Record<string, string> = { continue: 'Continue', modify: 'Modify', stop_efficacy: 'Stop for efficacy', stop_futility: 'Stop for futility', stop_harm: 'Stop for harm' };

/** The committee's signed recommendations (what the trial team is told), newest first. */
export function RecommendationsTable({
  rows,
}: {
  rows: readonly { id: string; look: number; recommendation: string; rationale: string; analysisPlanVersion: number; signerName: string; recordedAt: string; reportSha256: string }[];
}) {
  return (
    <section className="panel" aria-label="Recommendations">
      <h2>Recommendations</h2>
      {rows.length === 0 ? (
        <p className="muted">None recorded yet.</p>
      ) : (
        <table data-testid="dsmb-recommendations">
          <thead>
            <tr>
              <th>Recorded (UTC)</th>
              <th>Look</th>
              <th>Recommendation</th>
              <th>Rationale</th>
              <th>Plan</th>
              <th>Signed by</th>
              <th>Closed report</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.recordedAt.replace('T', ' ').slice(0, 16)}</td>
                <td>{r.look}</td>
                <td>{LABEL[r.recommendation] ?? r.recommendation}</td>
                <td>{r.rationale}</td>
                <td>v{r.analysisPlanVersion}</td>
                <td>{r.signerName}</td>
                <td>
                  <code>{r.reportSha256.slice(0, 12)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
