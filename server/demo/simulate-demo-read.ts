import { Rng } from '../../imaging/random';

/**
 * The demo's reader model, an assumption of the demo and not a finding. Everything it makes is
 * SIMULATED and labelled so (simulated_reads; the analysis rows' reads_simulated):
 * - model score: logit = modelIntercept + modelHighGrade·[high grade] + N(0, modelNoise²);
 * - a reader without the AI: logit = readerIntercept + readerHighGrade·[high grade] + N(0, readerNoise²);
 * - a reader with the AI (assisted arm): with probability automationBias the reader adopts the AI's
 *   score outright (automation bias: the AI's errors pass through unchecked); otherwise the stated
 *   logit is (1 − aiWeight)·own + aiWeight·AI's;
 * - high grade is suspected when the stated probability is ≥ 0.5; with the AI, a call on the AI's
 *   side is 'accepted' (or 'edited' with probability editShare), a call against it 'rejected';
 * - seconds to decision: log-normal around unaidedSeconds (aidedSeconds with the AI; an adopted AI
 *   call takes half of that), log-SD 0.4;
 * - the reader is one of `readers` simulated readers, uniformly.
 * With these values the model's AUC is about 0.90, an unaided reader's about 0.83 and an aided
 * reader's about 0.88: the assisted arm's reads should look better, and part of it is the AI.
 */
export const DEMO_READER_MODEL = {
  name: 'SegTrial demo reader model v1 (SIMULATED)',
  modelIntercept: -1.6,
  modelHighGrade: 2.6,
  modelNoise: 1.4,
  readerIntercept: -1.2,
  readerHighGrade: 2.0,
  readerNoise: 1.5,
  aiWeight: 0.5,
  automationBias: 0.15,
  editShare: 0.2,
  unaidedSeconds: 240,
  aidedSeconds: 180,
  readers: 3,
} as const;

export interface SimulatedRead {
  readonly modelRisk: number;
  readonly reader: string;
  readonly withAi: boolean;
  readonly probabilityHighGrade: number;
  readonly suspectedGrade: 'high' | 'low';
  readonly aiAction: 'accepted' | 'edited' | 'rejected' | null;
  readonly secondsToDecision: number;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * One simulated participant's model score and reader decision from DEMO_READER_MODEL, drawn from a
 * stream named by `subject` (the same subject always gets the same read).
 *
 * @example
 * simulateDemoRead({ subject: 'demo-0001', highGrade: true, withAi: false }).withAi; // → false
 */
export function simulateDemoRead({ subject, highGrade, withAi, model = DEMO_READER_MODEL }: { subject: string; highGrade: boolean; withAi: boolean; model?: typeof DEMO_READER_MODEL }): SimulatedRead {
  const rng = new Rng(`demo-reads/${subject}`);
  const hg = highGrade ? 1 : 0;
  const aiLogit = model.modelIntercept + model.modelHighGrade * hg + rng.gaussian(0, model.modelNoise);
  const ownLogit = model.readerIntercept + model.readerHighGrade * hg + rng.gaussian(0, model.readerNoise);
  const adopted = rng.next() < model.automationBias;
  const edits = rng.next() < model.editShare;
  const reader = `simulated reader ${1 + Math.floor(rng.next() * model.readers)}`;
  const seconds = (median: number) => median * Math.exp(rng.gaussian(0, 0.4));
  const modelRisk = logistic(aiLogit);
  if (!withAi) {
    const p = logistic(ownLogit);
    return { modelRisk, reader, withAi, probabilityHighGrade: p, suspectedGrade: p >= 0.5 ? 'high' : 'low', aiAction: null, secondsToDecision: seconds(model.unaidedSeconds) };
  }
  const p = adopted ? modelRisk : logistic((1 - model.aiWeight) * ownLogit + model.aiWeight * aiLogit);
  const sameSide = p >= 0.5 === modelRisk >= 0.5;
  return {
    modelRisk,
    reader,
    withAi,
    probabilityHighGrade: p,
    suspectedGrade: p >= 0.5 ? 'high' : 'low',
    aiAction: sameSide ? (edits && !adopted ? 'edited' : 'accepted') : 'rejected',
    secondsToDecision: seconds(adopted ? model.aidedSeconds / 2 : model.aidedSeconds),
  };
}
