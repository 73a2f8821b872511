import { describe, expect, it } from 'vitest';
import { buildOversightDashboard, type OversightObservation } from './build-oversight-dashboard';
import { DEFAULT_OVERSIGHT_SETTINGS } from './oversight-settings';
import { metricNamesCases, OVERSIGHT_METRIC_KEYS, type OversightMetric } from './oversight-metrics';

const start = Date.UTC(2026, 0, 1);
/** A site's series of one metric, one case a day. */
function series(metric: OversightMetric, siteCode: string, values: readonly number[]): OversightObservation[] {
  return values.map((value, i) => ({ metric, siteId: `id-${siteCode}`, siteCode, studyId: `${siteCode}-study-${i}`, observedAt: new Date(start + i * 86_400_000), value }));
}
// In control around 1.4 with some spread, then a drop: a scanner protocol change at case 15.
const nmi = [1.41, 1.39, 1.42, 1.4, 1.38, 1.43, 1.4, 1.41, 1.39, 1.42, 1.4, 1.41, 1.39, 1.4, 1.42, 1.2, 1.18, 1.22, 1.19, 1.21];
const steady = [1.41, 1.39, 1.42, 1.4, 1.38, 1.43, 1.4, 1.41, 1.39, 1.42, 1.4, 1.41, 1.39, 1.4, 1.42, 1.41, 1.39, 1.4, 1.42, 1.4];

describe('buildOversightDashboard', () => {
  const dashboard = buildOversightDashboard([...series('registration_nmi', 'site-a', steady), ...series('registration_nmi', 'site-x', nmi)]);
  const chart = (metric: OversightMetric, site: string | null) => dashboard.charts.find((c) => c.metric === metric && c.siteId === site)!;

  it('charts each site against its own baseline and finds the site that drifted', () => {
    const drifted = chart('registration_nmi', 'id-site-x').chart;
    const steadySite = chart('registration_nmi', 'id-site-a').chart;
    expect(drifted.status).toBe('charted');
    expect(steadySite.status).toBe('charted');
    if (drifted.status !== 'charted' || steadySite.status !== 'charted') return;
    expect(drifted.signals[0]).toBe(15);
    expect(drifted.points[15]?.signal).toBe('low');
    expect(drifted.points[15]?.studyId).toBe('site-x-study-15');
    expect(steadySite.signals).toEqual([]);
    expect(drifted.baseline.count).toBe(DEFAULT_OVERSIGHT_SETTINGS.baselineCount);
  });

  it('pools the sites in time order and lists every site', () => {
    expect(dashboard.sites.map((s) => s.siteCode)).toEqual(['site-a', 'site-x']);
    expect(chart('registration_nmi', null).n).toBe(40);
  });

  it('says why a figure with too few cases has no chart', () => {
    const few = buildOversightDashboard(series('volume_wt_ml', 'site-a', [10, 20, 30]));
    const c = few.charts.find((x) => x.metric === 'volume_wt_ml' && x.siteId === null)!;
    expect(c.chart).toEqual({ status: 'not charted', reason: expect.stringContaining('3 case(s)') });
  });

  it('gives a binary figure limits even when the baseline has no event, and signals a run of rejections', () => {
    const rejections = [...new Array<number>(12).fill(0), 1, 1, 1, 1];
    const d = buildOversightDashboard(series('ai_rejected', 'site-a', rejections));
    const c = d.charts.find((x) => x.metric === 'ai_rejected' && x.siteId === 'id-site-a')!.chart;
    expect(c.status).toBe('charted');
    if (c.status !== 'charted') return;
    expect(c.baseline.mean).toBeCloseTo(0.5 / 11, 12);
    expect(c.signals.length).toBeGreaterThan(0);
    expect(c.signals.every((i) => i >= 12)).toBe(true);
  });

  it('names cases only for the figures of every case (input and output), never for assisted-arm-only ones', () => {
    expect(OVERSIGHT_METRIC_KEYS.filter(metricNamesCases)).toEqual([
      'registration_nmi',
      'slice_thickness_mm',
      'brain_volume_ml',
      'intensity_cv_flair',
      'intensity_cv_t1',
      'intensity_cv_t1gd',
      'intensity_cv_t2',
      'volume_wt_ml',
      'volume_et_ml',
      'empty_mask',
      'risk_high_grade',
    ]);
  });

  it('never names the cases of a human–AI interaction figure (that would reveal their arm)', () => {
    const d = buildOversightDashboard(series('time_on_task_s', 'site-a', [60, 55, 70, 65, 58, 62, 61, 59, 66, 64, 5, 4, 6, 5]));
    const c = d.charts.find((x) => x.metric === 'time_on_task_s' && x.siteId === null)!.chart;
    expect(c.status).toBe('charted');
    if (c.status !== 'charted') return;
    expect(c.points.every((p) => p.studyId === null)).toBe(true);
    expect(JSON.stringify(d)).not.toContain('site-a-study-');
  });

  it("gives a constant baseline limits at the figure's resolution, so a change of protocol signals", () => {
    const d = buildOversightDashboard(series('slice_thickness_mm', 'site-a', [...new Array<number>(12).fill(1), 5, 5]));
    const c = d.charts.find((x) => x.metric === 'slice_thickness_mm' && x.siteId === null)!.chart;
    expect(c.status).toBe('charted');
    if (c.status !== 'charted') return;
    expect(c.baseline.sd).toBe(0.25);
    expect(c.signals).toEqual([12, 13]);
  });
});
