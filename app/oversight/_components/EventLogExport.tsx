'use client';
import { trpc } from '../../_lib/trpc-client';
import { useAction } from '../../_lib/use-submit';

/** Downloads the trial's AI event log (JSON Lines); the export is audited on the server, so one at a time. */
export function EventLogExport({ trialId }: { trialId: string }) {
  const { busy, error, notice, run } = useAction();
  const exportLog = () =>
    run(async () => {
      const { filename, text, events } = await trpc.oversight.exportEventLog.mutate({ trialId });
      const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = filename;
      a.click();
      URL.revokeObjectURL(url);
      return `${events} events exported.`;
    });
  // Inline beside the button (inside this paragraph), so spans rather than FormError's and FormNotice's paragraphs.
  return (
    <p>
      <button type="button" disabled={busy} onClick={() => void exportLog()}>
        Export the AI event log (JSON Lines)
      </button>{' '}
      {busy && <span role="status">Exporting…</span>}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      {notice && <span role="status">{notice}</span>}
    </p>
  );
}
