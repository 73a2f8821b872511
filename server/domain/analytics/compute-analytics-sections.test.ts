import { describe, expect, it } from 'vitest';
import type { AnalysisDataset, AnalysisRow } from './analysis-dataset';
import { ANALYTICS_SECTION_NAMES, type AnalyticsSectionName } from './analytics-sections';
import { DEFAULT_ANALYTICS_SETTINGS } from './analytics-settings';
import { ANALYTICS_TABLES, analyticsTables } from './analytics-tables';
import { computeAnalyticsSections } from './compute-analytics-sections';
import { computeTrialAnalytics, reportHeader } from './compute-trial-analytics';

const settings = { ...DEFAULT_ANALYTICS_SETTINGS, replicates: 20 };

function dataset(n: number): AnalysisDataset {
  const rows: AnalysisRow[] = Array.from({ length: n }, (_, i) => {
    const high = i % 3 === 0;
    return {
      participantId: `p${i}`,
      studyId: `S-${i}`,
      site: i % 2 ? 'a' : 'b',
      siteExternal: i % 5 === 0,
      arm: i % 2 ? 'ai_assisted' : 'control',
      stratum: i % 4 < 2 ? 'a|x' : 'b|y',
      age: 40 + i,
      sex: i % 3 ? 'F' : 'M',
      scannerVendor: 'Siemens',
      fieldStrength: '3T',
      levels: {},
      withdrawn: false,
      lostToFollowUp: false,
      protocolDeviation: false,
      referenceHighGrade: high,
      whoGrade: high ? 4 : 2,
      progressionFree6m: i % 4 !== 0,
      outcomeAssessedOn: '2026-06-01',
      outcomeNote: null,
      modelRisk: ((i * 37) % 100) / 100,
      segmentationId: null,
      segmentation: null,
      readerCount: 1,
      clinicianProbability: ((i * 53) % 100) / 100,
      clinicianHighGrade: i % 2,
      clinicianManagement: 'resection',
      clinicianCorrect: i % 2,
      randomizedOn: '2026-01-01',
      protocolVersion: 1,
      randomizationPeriod: 1,
      pfsDays: 30 + ((i * 17) % 300),
      pfsEvent: i % 3 ? 1 : 0,
      osDays: 200 + ((i * 13) % 300),
      osEvent: i % 5 ? 0 : 1,
    };
  });
  return {
    trial: { id: 't', slug: 'unit', name: 'Unit', status: 'live' },
    arms: [
      { key: 'ai_assisted', label: 'AI-assisted' },
      { key: 'control', label: 'Control' },
    ],
    factors: [],
    sites: [
      { code: 'a', name: 'A', isExternal: false },
      { code: 'b', name: 'B', isExternal: false },
    ],
    model: null,
    rows,
    readers: [],
    snapshot: { sha256: '0'.repeat(64), builtAt: '2026-12-01T00:00:00.000Z' },
  };
}

describe('computeAnalyticsSections', () => {
  const data = dataset(60);
  const whole = computeTrialAnalytics({ dataset: data, settings });

  it('computes each section alone as the whole report does', () => {
    for (const name of ANALYTICS_SECTION_NAMES) {
      const computed = new Map<AnalyticsSectionName, unknown>();
      const part = computeAnalyticsSections({ dataset: data, settings, sections: [name], computed });
      expect(part[name]).toEqual(whole[name]);
      // Only the section asked for, and what it reads (the interim monitoring reads the survival section).
      expect([...computed.keys()].sort()).toEqual(name === 'interim' ? ['interim', 'survival'] : [name]);
    }
  });

  it('builds every table from only the sections it names, as from the whole report', () => {
    const consort = { assessed: 60, excluded: 0, exclusionReasons: [], awaitingRandomization: 0, randomized: 60, arms: [] };
    const fromWhole = analyticsTables({ report: whole, consort });
    for (const [k, spec] of ANALYTICS_TABLES.entries()) {
      const report = { ...reportHeader(data, settings), ...computeAnalyticsSections({ dataset: data, settings, sections: spec.sections }) };
      expect(spec.build(report, consort)).toEqual(fromWhole[k]);
    }
  });
});
