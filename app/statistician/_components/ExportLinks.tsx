/** The CSV and JSON download links of one analytics table, shown beside its heading. */
export function ExportLinks({ trialId, table }: { trialId: string; table: string }) {
  const base = `/api/analytics/${trialId}/export?what=table:${table}`;
  return (
    <span className="exports">
      <a href={`${base}&format=csv`} download>
        CSV
      </a>{' '}
      ·{' '}
      <a href={`${base}&format=json`} download>
        JSON
      </a>
    </span>
  );
}
