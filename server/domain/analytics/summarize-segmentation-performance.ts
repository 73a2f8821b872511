import { summarizeValues } from '@/analysis/summarize-values';
import { TUMOR_REGIONS, type TumorRegion } from '@/imaging/metrics/region-masks';
import { section } from './analytics-section';
import type { SectionContext } from './section-context';

const METRICS = ['dice', 'hd95', 'sensitivity', 'specificity'] as const;

/** Segmentation performance per region against the expert reference (external validation): per case, internal vs external, and per site. */
export function summarizeSegmentationPerformance({ dataset: { rows, sites } }: SectionContext) {
  const withMetrics = rows.filter((r) => r.segmentation !== null);
  const regions = Object.keys(TUMOR_REGIONS) as TumorRegion[];
  const groups = [
    ...[false, true].map((external) => ({ group: external ? 'external' : 'internal', list: withMetrics.filter((r) => r.siteExternal === external) })),
    ...sites.map((s) => ({ group: `site ${s.code}`, list: withMetrics.filter((r) => r.site === s.code) })),
  ];
  return {
    cases: withMetrics.map((r) => ({ studyId: r.studyId, site: r.site, external: r.siteExternal, arm: r.arm, metrics: r.segmentation! })),
    summaries: groups.map(({ group, list }) => ({
      group,
      n: list.length,
      regions: regions.map((region) => ({
        region,
        metrics: METRICS.map((metric) => ({
          metric,
          summary: section(() =>
            summarizeValues(
              list.map((r) => r.segmentation![region][metric]),
              0.95,
              { range: metric === 'hd95' ? [0, Infinity] : [0, 1] },
            ),
          ),
        })),
      })),
    })),
  };
}
