'use client';
import { useState } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

/** Downloads the trial's AI event log (JSON Lines); the export is audited on the server. */
export function EventLogExport({ trialId }: { trialId: string }) {
  const [status, setStatus] = useState<string | null>(null);
  return (
    <p>
      <button
        type="button"
        onClick={async () => {
          setStatus('Exporting…');
          try {
            const { filename, text, events } = await trpc.oversight.exportEventLog.mutate({ trialId });
            const url = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
            const a = document.createElement('a');
            a.href = url;
            a.download = filename;
            a.click();
            URL.revokeObjectURL(url);
            setStatus(`${events} events exported.`);
          } catch (err) {
            setStatus(errorMessage(err));
          }
        }}
      >
        Export the AI event log (JSON Lines)
      </button>{' '}
      {status && <span role="status">{status}</span>}
    </p>
  );
}
