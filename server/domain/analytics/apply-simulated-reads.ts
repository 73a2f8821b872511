import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { simulatedReads } from '@/db/schema';
import type { AnalysisRow, ReaderRow } from './analysis-dataset';
import type { SimulatedReadSource } from './analysis-sources';

/**
 * Puts the demo's SIMULATED reads (simulated_reads: a model score and one reader decision from the
 * documented demo reader model) into the analysis dataset, labelled: a participant with neither a
 * model segmentation nor a signed read gets the simulated model score and read, with
 * `readsSimulated: true`, and a reader row with `simulated: true` and '(SIMULATED)' after the reader.
 * A participant with any real segmentation or signed decision keeps only those: real and simulated
 * reads are never mixed in one row. Rows without a simulated read are returned unchanged.
 */
export async function applySimulatedReads({ db, rows, readers }: { db: DbOrTx; rows: readonly AnalysisRow[]; readers: readonly ReaderRow[] }): Promise<{ rows: AnalysisRow[]; readers: ReaderRow[] }> {
  const candidates = rows.filter(isSimulationCandidate).map((r) => r.participantId);
  if (candidates.length === 0) return { rows: [...rows], readers: [...readers] };
  const found = await db.select().from(simulatedReads).where(inArray(simulatedReads.participantId, candidates));
  return fillSimulatedReads({ rows, readers, simulated: found });
}

const isSimulationCandidate = (r: AnalysisRow) => r.segmentationId === null && r.modelRisk === null && r.readerCount === 0;

/** What applySimulatedReads does with the simulated reads already read (any participants'; only candidates' are used). */
export function fillSimulatedReads({ rows, readers, simulated }: { rows: readonly AnalysisRow[]; readers: readonly ReaderRow[]; simulated: readonly SimulatedReadSource[] }): {
  rows: AnalysisRow[];
  readers: ReaderRow[];
} {
  if (simulated.length === 0) return { rows: [...rows], readers: [...readers] };
  const byParticipant = new Map(simulated.map((s) => [s.participantId, s]));
  const added: ReaderRow[] = [];
  const filled = rows.map((row): AnalysisRow => {
    const sim = byParticipant.get(row.participantId);
    if (!sim || !isSimulationCandidate(row)) return row;
    const high = sim.suspectedGrade === 'high';
    const correct = row.referenceHighGrade === null ? null : high === row.referenceHighGrade ? 1 : 0;
    added.push({
      participantId: row.participantId,
      studyId: row.studyId,
      site: row.site,
      arm: row.arm,
      reader: `${sim.reader} (SIMULATED)`,
      aiAction: sim.aiAction,
      secondsToDecision: sim.secondsToDecision,
      diceProposalToFinal: sim.aiAction === 'accepted' ? 1 : null,
      probability: sim.probabilityHighGrade,
      suspectedHighGrade: high ? 1 : 0,
      correct,
      simulated: true,
    });
    return {
      ...row,
      modelRisk: sim.modelRisk,
      readerCount: 1,
      clinicianProbability: sim.probabilityHighGrade,
      clinicianHighGrade: high ? 1 : 0,
      clinicianCorrect: correct,
      readsSimulated: true,
    };
  });
  return { rows: filled, readers: [...readers, ...added] };
}
