import { ewmaChart, type ControlBaseline } from '@/analysis/control-charts';
import { DEFAULT_OVERSIGHT_SETTINGS, type OversightSettings } from './oversight-settings';
import { OVERSIGHT_METRIC_KEYS, OVERSIGHT_METRICS, metricNamesCases, type OversightMetric } from './oversight-metrics';

/** One observation of one figure: a case (study) at a site and a time. */
export interface OversightObservation {
  readonly metric: OversightMetric;
  readonly siteId: string;
  readonly siteCode: string;
  /** The study the figure belongs to; never passed on for metrics that would reveal the arm. */
  readonly studyId: string;
  readonly observedAt: Date;
  readonly value: number;
}

export interface OversightChartPoint {
  readonly observedAt: string;
  readonly value: number;
  readonly statistic: number;
  readonly baseline: boolean;
  readonly signal: 'high' | 'low' | null;
  /** Null where naming the case would reveal its arm. */
  readonly studyId: string | null;
}

export interface OversightChart {
  readonly metric: OversightMetric;
  /** null: pooled over the sites the viewer may see. */
  readonly siteId: string | null;
  readonly siteLabel: string;
  readonly n: number;
  readonly summary: { readonly mean: number | null; readonly latest: number | null };
  /** The chart, or why there is none yet ('too few cases', 'no variation in the baseline'). */
  readonly chart:
    | {
        readonly status: 'charted';
        readonly method: 'EWMA';
        readonly lambda: number;
        readonly criticalValue: number;
        readonly inControlArl: number;
        readonly baseline: ControlBaseline;
        readonly lowerLimit: number;
        readonly upperLimit: number;
        readonly points: readonly OversightChartPoint[];
        readonly signals: readonly number[];
      }
    | { readonly status: 'not charted'; readonly reason: string };
}

export interface OversightDashboard {
  readonly settings: OversightSettings;
  readonly sites: readonly { readonly siteId: string; readonly siteCode: string }[];
  readonly charts: readonly OversightChart[];
}

/**
 * Binary figures get their in-control SD from the baseline proportion, √(p(1 − p)), with p shrunk
 * towards ½ by half a case ((x + ½)/(n + 1)), so a baseline without a single event (no rejection yet)
 * still has limits and the first rejections can signal.
 */
function binaryBaseline(values: readonly number[], count: number): ControlBaseline {
  const events = values.slice(0, count).reduce((s, v) => s + v, 0);
  const p = (events + 0.5) / (count + 1);
  return { count, mean: p, sd: Math.sqrt(p * (1 - p)) };
}

/** Mean and SD of a continuous figure's baseline cases, the SD no smaller than the figure's resolution. */
function continuousBaseline(values: readonly number[], count: number, sdFloor: number): ControlBaseline {
  const base = values.slice(0, count);
  const mean = base.reduce((s, v) => s + v, 0) / count;
  const sd = Math.sqrt(base.reduce((s, v) => s + (v - mean) ** 2, 0) / (count - 1));
  return { count, mean, sd: Math.max(sd, sdFloor) };
}

function chartOf(metric: OversightMetric, observations: readonly OversightObservation[], settings: OversightSettings): OversightChart['chart'] {
  if (observations.length <= settings.baselineCount) {
    return { status: 'not charted', reason: `${observations.length} case(s); limits need ${settings.baselineCount} baseline cases and the chart at least one more` };
  }
  const values = observations.map((o) => o.value);
  const definition = OVERSIGHT_METRICS[metric];
  const baseline = definition.kind === 'binary' ? binaryBaseline(values, settings.baselineCount) : continuousBaseline(values, settings.baselineCount, definition.sdFloor);
  const chart = ewmaChart(values, { baselineCount: settings.baselineCount, lambda: settings.lambda, inControlArl: settings.inControlArl, baseline });
  const named = metricNamesCases(metric);
  return {
    status: 'charted',
    method: 'EWMA',
    lambda: chart.lambda,
    criticalValue: chart.criticalValue,
    inControlArl: chart.inControlArl,
    baseline: chart.baseline,
    lowerLimit: chart.lowerLimit,
    upperLimit: chart.upperLimit,
    points: chart.points.map((p, i) => {
      const o = observations[i] as OversightObservation;
      return { observedAt: o.observedAt.toISOString(), value: p.value, statistic: p.statistic, baseline: p.baseline, signal: p.signal, studyId: named ? o.studyId : null };
    }),
    signals: chart.signals,
  };
}

function series(metric: OversightMetric, siteId: string | null, siteLabel: string, observations: readonly OversightObservation[], settings: OversightSettings): OversightChart {
  const sorted = [...observations].sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime() || a.studyId.localeCompare(b.studyId));
  const n = sorted.length;
  const mean = n ? sorted.reduce((s, o) => s + o.value, 0) / n : null;
  return { metric, siteId, siteLabel, n, summary: { mean, latest: sorted.at(-1)?.value ?? null }, chart: chartOf(metric, sorted, settings) };
}

/**
 * The oversight dashboard: for every monitored figure, an EWMA chart per site and one pooled over
 * the sites, each with limits estimated from its own first `baselineCount` cases (so a site is
 * compared with its own start, not with other scanners). Cases are ordered by the time they were
 * observed. Pure: the observations come from `loadOversightObservations`.
 */
export function buildOversightDashboard(observations: readonly OversightObservation[], settings: OversightSettings = DEFAULT_OVERSIGHT_SETTINGS): OversightDashboard {
  const sites = new Map<string, string>();
  for (const o of observations) sites.set(o.siteId, o.siteCode);
  const siteList = [...sites].map(([siteId, siteCode]) => ({ siteId, siteCode })).sort((a, b) => a.siteCode.localeCompare(b.siteCode));
  const charts: OversightChart[] = [];
  for (const metric of OVERSIGHT_METRIC_KEYS) {
    const ofMetric = observations.filter((o) => o.metric === metric);
    charts.push(series(metric, null, 'all sites', ofMetric, settings));
    for (const site of siteList)
      charts.push(
        series(
          metric,
          site.siteId,
          site.siteCode,
          ofMetric.filter((o) => o.siteId === site.siteId),
          settings,
        ),
      );
  }
  return { settings, sites: siteList, charts };
}
