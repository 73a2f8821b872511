import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';

type Amendment = inferRouterOutputs<AppRouter>['trials']['amendments'][number];

/** The signed amendments of a trial, newest first: version, dates, summary, changes in words and the signature. */
export function AmendmentList({ amendments }: { amendments: Amendment[] }) {
  if (amendments.length === 0) return <p className="muted">No amendments: the protocol is as it went live.</p>;
  return (
    <table data-testid="amendments" style={{ fontSize: 13 }}>
      <thead>
        <tr>
          <th>Version</th>
          <th>Effective</th>
          <th>Summary and changes</th>
          <th>Signed</th>
        </tr>
      </thead>
      <tbody>
        {amendments.map((a) => (
          <tr key={a.id} data-version={a.version}>
            <td>v{a.version}</td>
            <td>{a.effectiveOn}</td>
            <td>
              <strong>{a.summary}</strong>
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {a.changes.length === 0 ? <li className="muted">No change to the design (sites only)</li> : a.changes.map((c) => <li key={c}>{c}</li>)}
              </ul>
            </td>
            <td>
              {a.signature.signerName} ({a.signature.signerUsername}), {a.signature.signedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC
              <br />
              <code className="hash" title={`SHA-256 of the signed content. Meaning: ${a.signature.meaning}`}>
                {a.signature.contentSha256.slice(0, 16)}…
              </code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
