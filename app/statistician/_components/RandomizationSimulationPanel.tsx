import type { RandomizationSimulation } from '@/server/domain/randomization-simulation/simulate-randomization';
import { fmt } from './format';

/** The randomization design's simulated behaviour at the target size (imbalance, predictability). */
export function RandomizationSimulationPanel({ sim }: { sim: RandomizationSimulation }) {
  const rows = [
    ['Overall', sim.imbalance.overall],
    ['Largest per site', sim.imbalance.largestPerSite],
    ['Largest per stratum', sim.imbalance.largestPerStratum],
  ] as const;
  return (
    <section className="panel" aria-label="Randomization design simulation" data-testid="randomization-simulation">
      <h2>Randomization design, simulated</h2>
      <p className="muted small">
        {sim.replicates} simulated trials of {sim.participants} participants over {sim.sites} {sim.sites === 1 ? 'site' : 'sites'} through the platform&apos;s own {sim.method.replace('_', ' ')}{' '}
        engine, fresh seeds each (no real allocation is used). Imbalance is |n<sub>arm</sub> − N × share| at the end.
      </p>
      <table>
        <thead>
          <tr>
            <th>Imbalance</th>
            <th>Mean</th>
            <th>Median</th>
            <th>95th percentile</th>
            <th>Maximum</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, d]) => (
            <tr key={label}>
              <td>{label}</td>
              <td>{fmt(d.mean, 2)}</td>
              <td>{fmt(d.median, 1)}</td>
              <td>{fmt(d.p95, 1)}</td>
              <td>{fmt(d.max, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Predictability: an investigator who knows every earlier allocation in the participant&apos;s stratum guesses the next one right with probability{' '}
        <strong>{fmt(sim.correctGuessProbability.estimate, 3)}</strong> (± {fmt(sim.correctGuessProbability.standardError, 3)}, convergence strategy, Blackwell–Hodges),{' '}
        {fmt(sim.excessCorrectGuesses, 3)} above chance.
      </p>
    </section>
  );
}
