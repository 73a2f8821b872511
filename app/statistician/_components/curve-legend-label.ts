/**
 * A curve's legend name. With the demo's SIMULATED reads in the dataset, the model and reader
 * curves include them (simulated_reads), and the legend says so rather than naming the
 * model's segmentation or a clinician as the source.
 */
export function curveLegendLabel(variable: string, label: string, simulatedReads: number): string {
  if (simulatedReads === 0) return label;
  return variable === 'model_risk' ? 'Model risk, SIMULATED scores included' : `${label}, SIMULATED reads included`;
}
