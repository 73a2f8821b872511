import { describe, expect, it } from 'vitest';
import { assessRanoResponse } from '../rano/assess-rano-response';
import { measureEnhancingLesions } from '../rano/measure-enhancing-lesions';
import { drawTumorCourse, generateLongitudinalSeries, tumorScaleAt, TUMOR_COURSES } from './longitudinal';

describe('tumour courses', () => {
  it('follow their formulas', () => {
    expect(tumorScaleAt({ course: 'growth', doublingTimeDays: 60 }, 180).radius).toBeCloseTo(2, 12);
    const s = tumorScaleAt({ course: 'shrinkage', plateau: 0.5, tauDays: 50 }, 50);
    expect(s.radius).toBeCloseTo(0.5 + 0.5 * Math.exp(-1), 12);
    const p = { course: 'pseudo-progression', amplitude: 0.3, peakDays: 56, widthDays: 30 } as const;
    expect(tumorScaleAt(p, 56).radius).toBeCloseTo(1.25, 12);
    expect(tumorScaleAt(p, 168).radius).toBeLessThan(1);
    expect(() => tumorScaleAt(p, -1)).toThrow(RangeError);
  });

  it('are drawn reproducibly, all four over a cohort', () => {
    expect(drawTumorCourse('demo', 3)).toEqual(drawTumorCourse('demo', 3));
    const seen = new Set(Array.from({ length: 40 }, (_, i) => drawTumorCourse('demo', i).course));
    expect([...seen].sort()).toEqual([...TUMOR_COURSES].sort());
  });
});

describe('generateLongitudinalSeries (tiny subjects)', () => {
  const visits = [
    { visit: 'baseline', days: 0 },
    { visit: 'fu1', days: 112 },
  ];

  it('growth enlarges the enhancing tumour and the RANO measurement calls progression; shrinkage calls response', async () => {
    // A subject with an enhancing tumour: search a few indices for one (tumour-free subjects exist).
    let index = 0;
    for (; index < 20; index++) {
      const {
        visits: [b],
      } = await generateLongitudinalSeries({ seed: 'longitudinal-test', index, site: 'site-a', size: 'tiny', visits: [visits[0]!] });
      if (measureEnhancingLesions({ labels: b!.subject.label }).lesions.some((l) => l.measurable)) break;
    }
    expect(index).toBeLessThan(20);
    const grow = await generateLongitudinalSeries({ seed: 'longitudinal-test', index, site: 'site-a', size: 'tiny', visits, course: { course: 'growth', doublingTimeDays: 40 } });
    const shrink = await generateLongitudinalSeries({ seed: 'longitudinal-test', index, site: 'site-a', size: 'tiny', visits, course: { course: 'shrinkage', plateau: 0.5, tauDays: 30 } });
    const rano = (s: typeof grow) => assessRanoResponse(s.visits.map((v) => ({ visit: v.visit, measurement: measureEnhancingLesions({ labels: v.subject.label }) }))).timepoints[1]!;
    // The baseline is the subject as generateSubject makes it, whatever the course.
    expect(grow.visits[0]!.subject.canonicalLabels).toEqual(shrink.visits[0]!.subject.canonicalLabels);
    expect(grow.visits[1]!.subject.record.features.enhancingMl).toBeGreaterThan(grow.visits[0]!.subject.record.features.enhancingMl);
    expect(rano(grow).category).toBe('PD');
    expect(shrink.visits[1]!.subject.record.features.enhancingMl).toBeLessThan(shrink.visits[0]!.subject.record.features.enhancingMl);
    expect(['PR', 'CR']).toContain(rano(shrink).category);
  });
});
