import { createSeededRandom } from '../../analysis/seeded-random';
import type { AnalysisDataset, AnalysisRow } from '../../server/domain/analytics/analysis-dataset';
import type { SurvivalOutcome } from '../../server/domain/outcomes/derive-time-to-event';
import type { AdamExtras } from '../../server/domain/adam/adam-subjects-of';

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A seeded sample trial for the ADaM checks (test support only, also what regenerates the committed
 * ADTTE sample): 90 randomized participants in two arms and four strata (site × age band), with
 * exponential progression and death times (hazard ratio 0.7 in the AI-assisted arm), uniform
 * censoring, ties from whole days, and 6 participants without any follow-up contact.
 */
export function adamSampleTrial(): { dataset: AnalysisDataset; extras: Map<string, AdamExtras> } {
  const rng = createSeededRandom(1702);
  const exp = (rate: number) => -Math.log(1 - rng.nextFloat()) / rate;
  const rows: AnalysisRow[] = [];
  const extras = new Map<string, AdamExtras>();
  for (let i = 0; i < 90; i++) {
    const arm = i % 2 === 0 ? 'ai_assisted' : 'control';
    const site = i % 3 === 0 ? 'site-b' : 'site-a';
    const band = rng.nextFloat() < 0.5 ? '<50' : '>=50';
    const randomizedOn = addDays('2025-09-01', Math.floor(rng.nextFloat() * 120));
    const hr = arm === 'ai_assisted' ? 0.7 : 1;
    const progression = Math.round(exp((hr * (band === '>=50' ? 1.4 : 1)) / 240));
    const death = Math.round(exp((hr * (band === '>=50' ? 1.4 : 1)) / 480));
    const censor = Math.round(60 + rng.nextFloat() * 420);
    const followed = i % 15 !== 7;
    let survival: SurvivalOutcome | null = null;
    if (followed) {
      const pfsTime = Math.min(progression, death, censor);
      const osTime = Math.min(death, censor);
      survival = {
        pfs: { days: Math.max(1, pfsTime), event: pfsTime < censor ? 1 : 0 },
        os: { days: Math.max(1, osTime), event: death < censor ? 1 : 0 },
        lastContact: addDays(randomizedOn, Math.max(1, Math.min(death, censor))),
        pfsEventBasis: pfsTime < censor ? (death <= progression ? 'death' : i % 4 === 0 ? 'clinical' : 'rano') : null,
      };
    }
    const participantId = `p${i}`;
    rows.push({
      participantId,
      studyId: `S${String(i + 1).padStart(3, '0')}`,
      site,
      siteExternal: false,
      arm,
      stratum: `${site}|${band}`,
      age: band === '<50' ? 35 + (i % 15) : 50 + (i % 30),
      sex: i % 5 < 2 ? 'F' : 'M',
      scannerVendor: null,
      fieldStrength: null,
      levels: { age_band: band },
      withdrawn: i % 23 === 5,
      lostToFollowUp: false,
      protocolDeviation: i % 19 === 3,
      referenceHighGrade: null,
      whoGrade: null,
      progressionFree6m: null,
      outcomeAssessedOn: null,
      outcomeNote: null,
      modelRisk: null,
      segmentationId: null,
      segmentation: null,
      readerCount: 1,
      clinicianProbability: null,
      clinicianHighGrade: null,
      clinicianManagement: null,
      clinicianCorrect: null,
      randomizedOn,
      protocolVersion: 1,
      randomizationPeriod: 1,
      pfsDays: survival?.pfs.days ?? null,
      pfsEvent: survival?.pfs.event ?? null,
      osDays: survival?.os.days ?? null,
      osEvent: survival?.os.event ?? null,
    });
    extras.set(participantId, {
      eligible: i % 31 !== 4,
      firstReadOn: addDays(randomizedOn, 1),
      discontinuation: i % 23 === 5 ? { on: addDays(randomizedOn, 30), kind: 'withdrawn', reason: 'WITHDREW CONSENT' } : null,
      survival,
    });
  }
  return {
    dataset: {
      trial: { id: 't', slug: 'adam-sample', name: 'ADaM sample', status: 'live' },
      arms: [
        { key: 'ai_assisted', label: 'AI-assisted review' },
        { key: 'control', label: 'Usual review' },
      ],
      factors: ['age_band'],
      sites: [
        { code: 'site-a', name: 'Site A', isExternal: false },
        { code: 'site-b', name: 'Site B', isExternal: false },
      ],
      model: null,
      rows,
      readers: [],
      snapshot: { sha256: '0'.repeat(64), builtAt: '2026-01-01T00:00:00.000Z' },
    },
    extras,
  };
}
