import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS } from '@/playwright.config';
import { compareArms } from '@/analysis/compare-arms';
import { decisionCurveBootstrap } from '@/analysis/decision-curve-bootstrap';
import { Rng } from '@/imaging/random';
import type { AnalysisDataset, AnalysisRow } from './analysis-dataset';
import { analyticsTables, DCURVES_COLUMNS } from './analytics-tables';
import { computeTrialAnalytics, DEFAULT_ANALYTICS_SETTINGS } from './compute-trial-analytics';
import { PDF_CHROMIUM_ARGS } from './render-report-pdf';

function dataset(n: number): AnalysisDataset {
  const rng = new Rng('analytics-unit');
  const rows: AnalysisRow[] = Array.from({ length: n }, (_, i) => {
    const site = ['site-a', 'site-b', 'site-x'][i % 3]!;
    const arm = i % 2 === 0 ? 'ai_assisted' : 'control';
    const high = rng.next() < 0.4;
    const risk = Math.min(0.99, Math.max(0.01, (high ? 0.6 : 0.3) + (rng.next() - 0.5) * 0.5));
    const read = rng.next() < 0.8;
    return {
      participantId: `p${i}`,
      studyId: `SIM-${i}`,
      site,
      siteExternal: site === 'site-x',
      arm,
      stratum: `${site}|${i % 4 < 2 ? '<50' : '>=65'}`,
      age: 40 + (i % 40),
      sex: i % 5 < 2 ? 'F' : 'M',
      scannerVendor: 'Siemens',
      fieldStrength: '3T',
      levels: { age_band: i % 4 < 2 ? '<50' : '>=65' },
      withdrawn: false,
      lostToFollowUp: false,
      protocolDeviation: i % 17 === 0,
      referenceHighGrade: high,
      whoGrade: high ? 4 : 2,
      progressionFree6m: rng.next() < (high ? 0.4 : 0.8),
      outcomeAssessedOn: '2026-06-01',
      outcomeNote: null,
      modelRisk: risk,
      segmentationId: `s${i}`,
      segmentation: null,
      readerCount: read ? 1 : 0,
      clinicianProbability: read ? Math.round(risk * 100) / 100 : null,
      clinicianHighGrade: read ? (risk > 0.45 ? 1 : 0) : null,
      clinicianManagement: read ? 'resection' : null,
      clinicianCorrect: read ? (risk > 0.45 === high ? 1 : 0) : null,
      randomizedOn: '2026-01-01',
      protocolVersion: 1,
      randomizationPeriod: 1,
      pfsDays: Math.round(30 + 300 * rng.next()),
      pfsEvent: rng.next() < 0.6 ? 1 : 0,
      osDays: Math.round(200 + 300 * rng.next()),
      osEvent: rng.next() < 0.3 ? 1 : 0,
    };
  });
  return {
    trial: { id: 't', slug: 'unit', name: 'Unit', status: 'live' },
    arms: [
      { key: 'ai_assisted', label: 'AI-assisted' },
      { key: 'control', label: 'Control' },
    ],
    factors: ['age_band'],
    sites: [
      { code: 'site-a', name: 'A', isExternal: false },
      { code: 'site-b', name: 'B', isExternal: false },
      { code: 'site-x', name: 'X', isExternal: true },
    ],
    model: null,
    rows,
    readers: [],
    snapshot: { sha256: '0'.repeat(64), builtAt: '2026-12-01T00:00:00.000Z' },
  };
}

const settings = { ...DEFAULT_ANALYTICS_SETTINGS, replicates: 50 };

describe('computeTrialAnalytics', () => {
  const data = dataset(240);
  const report = computeTrialAnalytics({ dataset: data, settings });

  it('compares arms on the primary outcome crude and stratified by the randomization strata, as compareArms', () => {
    const primary = report.armComparisons[0]!;
    if (!primary.result.available) throw new Error(primary.result.reason);
    const count = (arm: string) => {
      const r = data.rows.filter((x) => x.arm === arm);
      return { events: r.filter((x) => x.progressionFree6m).length, n: r.length };
    };
    const a = count('ai_assisted');
    const b = count('control');
    expect(primary.result.value.crude).toEqual(compareArms({ eventsA: a.events, nA: a.n, eventsB: b.events, nB: b.n }));
    expect(primary.result.value.stratified?.strata.map((s) => s.stratum)).toEqual(['site-a|<50', 'site-a|>=65', 'site-b|<50', 'site-b|>=65', 'site-x|<50', 'site-x|>=65']);
  });

  it('draws decision curves per arm with the bootstrap resampling within strata, as decisionCurveBootstrap', () => {
    const arm = report.decisionCurves[0]!;
    const model = arm.curves.find((c) => c.variable === 'model_risk')!;
    if (!model.result.available) throw new Error(model.result.reason);
    const used = data.rows.filter((r) => r.arm === 'ai_assisted');
    const expected = decisionCurveBootstrap(
      {
        outcome: used.map((r) => (r.referenceHighGrade ? 1 : 0)),
        predictors: { model_risk: used.map((r) => r.modelRisk!) },
        labels: { model_risk: 'Model risk (segmentation)' },
        thresholds: model.result.value.rows.filter((r) => r.variable === 'all').map((r) => r.threshold),
      },
      { replicates: 50, seed: settings.seed, strata: used.map((r) => r.stratum) },
    );
    expect(model.result.value).toEqual(expected);
    expect(arm.curves.find((c) => c.variable === 'clinician_decision')!.n).toBe(used.filter((r) => r.readerCount > 0).length);
    expect(report.decisionCurveDifferences.every((d) => d.result.available)).toBe(true);
  });

  it('reports model subgroups with the internal sites as the reference for development site', () => {
    const dev = report.modelSubgroups.find((s) => s.covariate === 'development_site')!;
    if (!dev.result.available) throw new Error(dev.result.reason);
    expect(dev.result.value.reference).toBe('internal');
    expect(dev.result.value.levels.map((l) => l.level)).toEqual(['external', 'internal']);
  });

  it('marks sections without data as unavailable with the reason instead of computing them', () => {
    const empty = computeTrialAnalytics({
      dataset: { ...data, rows: data.rows.map((r) => ({ ...r, modelRisk: null, clinicianProbability: null, clinicianHighGrade: null, clinicianCorrect: null, readerCount: 0 })) },
      settings,
    });
    expect(empty.decisionCurves[0]!.curves.every((c) => !c.result.available)).toBe(true);
    expect(empty.decisionCurves[0]!.baseline.available).toBe(true);
    expect(empty.calibration[0]!.auc.available).toBe(false);
    const reader = empty.armComparisons.find((c) => c.outcome === 'clinician_correct')!;
    expect(reader.result.available ? '' : reader.result.reason).toMatch(/no clinician_correct recorded/);
  });

  it('exports the decision curves in dcurves columns (written by analysis/format-csv, tested there)', () => {
    const consort = { assessed: 240, excluded: 0, exclusionReasons: [], awaitingRandomization: 0, randomized: 240, arms: [] };
    const tables = analyticsTables({ report, consort });
    const dca = tables.find((t) => t.name === 'decision_curves')!;
    expect(dca.columns.slice(2)).toEqual([...DCURVES_COLUMNS]);
  });

  it('prints the PDF with the same Chromium flags as the browser tests', () => {
    expect([...PDF_CHROMIUM_ARGS]).toEqual(CHROMIUM_ARGS);
  });
});

describe('analysis populations of the arm comparison', () => {
  it('names the complete-case population and bounds missing outcomes by extreme-case imputation', async () => {
    const { newcombeRiskDifference } = await import('@/analysis/newcombe-risk-difference');
    const base = dataset(60);
    const rows = base.rows.map((r, i) => (i % 7 === 0 ? { ...r, progressionFree6m: null } : r));
    const report = computeTrialAnalytics({ dataset: { ...base, rows }, settings });
    const primary = report.armComparisons[0];
    if (!primary?.result.available) throw new Error('primary not computed');
    const v = primary.result.value;
    const missingA = rows.filter((r) => r.arm === 'ai_assisted' && r.progressionFree6m === null).length;
    const missingB = rows.filter((r) => r.arm === 'control' && r.progressionFree6m === null).length;
    expect(v.missing).toEqual({ armA: missingA, armB: missingB });
    expect(v.population).toContain(`${missingA + missingB} missing`);
    const worst = v.supportive[1]?.riskDifference;
    if (!worst?.available || !worst.value) throw new Error('extreme case not computed');
    const expected = newcombeRiskDifference({ eventsA: v.armA.events, nA: v.armA.n + missingA, eventsB: v.armB.events + missingB, nB: v.armB.n + missingB });
    expect([worst.value.estimate, worst.value.lower, worst.value.upper]).toEqual([expected.estimate, expected.lower, expected.upper]);
  });
});
