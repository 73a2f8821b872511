/**
 * Says, wherever the report's figures are shown, that some model scores and reader decisions are the
 * demo's SIMULATED ones (simulated_reads, from the documented demo reader model), not segmentations
 * and signed decisions. Renders nothing when there are none.
 */
export function SimulatedReadsNotice({ count }: { count: number | undefined }) {
  if (!count) return null;
  return (
    <p className="warning" data-testid="simulated-reads">
      SIMULATED: {count} participants&apos; model scores and reader decisions come from the demo&apos;s documented reader model (with and without the AI, with an automation-bias term), not from
      segmentations and signed decisions. Decision curves, model performance and human–AI interaction include them; the dataset export marks them <code>reads_simulated</code>, and their readers are
      named &ldquo;(SIMULATED)&rdquo;.
    </p>
  );
}
