import type { EnhancingLesion, LesionMeasurement } from './measure-enhancing-lesions';
import { RANO, type RanoCategory } from './rano-thresholds';
import { selectTargetLesions } from './select-target-lesions';

export interface RanoTimepoint {
  /** Visit code from the trial design (e.g. 'baseline', 'fu1'). */
  readonly visit: string;
  readonly measurement: LesionMeasurement;
  /**
   * The scan falls within 12 weeks of the end of radiotherapy: RANO 2.0 then asks for a
   * confirmation scan before progression is called (pseudo-progression is common then).
   */
  readonly withinTwelveWeeksOfRadiotherapy?: boolean;
}

export interface RanoTimepointResult {
  readonly visit: string;
  /** Sum of products of the perpendicular diameters of the baseline target lesions (mm²). */
  readonly sumProductsMm2: number;
  /** Sum of the volumes of the baseline target lesions (mL), RANO 2.0's volumetric option. */
  readonly sumVolumesMl: number;
  /** Percent change of the sum of products from baseline, and from the nadir before this visit (null at baseline). */
  readonly productChangeFromBaselinePct: number | null;
  readonly productChangeFromNadirPct: number | null;
  readonly volumeChangeFromBaselinePct: number | null;
  readonly volumeChangeFromNadirPct: number | null;
  /** The visit holding the nadir this visit is compared with (null at baseline). */
  readonly nadirVisit: string | null;
  /** Measurable lesions at this visit that match no lesion seen at any earlier visit. */
  readonly newMeasurableLesionIds: readonly number[];
  /** For each lesion at this visit, the baseline lesion it continues (null: new). */
  readonly lesionTrack: readonly { readonly lesionId: number; readonly baselineLesionId: number | null }[];
  /** Suggested category from the sums of products (null at baseline), with the rule that gave it. */
  readonly category: RanoCategory | null;
  readonly rule: string | null;
  /** The same rules on the sums of volumes (−65 % / +40 %). */
  readonly volumetricCategory: RanoCategory | null;
  readonly volumetricRule: string | null;
  /** PD suggested within 12 weeks of radiotherapy: preliminary until a later scan confirms it. */
  readonly needsConfirmation: boolean;
}

export interface RanoAssessment {
  /** Baseline target lesion ids (at most 3, empty for non-measurable disease). */
  readonly targetLesionIds: readonly number[];
  readonly timepoints: readonly RanoTimepointResult[];
}

const pct = (now: number, ref: number): number | null => (ref > 0 ? ((now - ref) / ref) * 100 : null);
const dist = (p: readonly number[], q: readonly number[]) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!);
const sameLesion = (a: EnhancingLesion, b: EnhancingLesion) => dist(a.centroidMm, b.centroidMm) <= Math.max(a.longestDiameterMm, b.longestDiameterMm) / 2 + RANO.trackingMarginMm;

/**
 * Suggested RANO 2.0 response of each follow-up from the AI (or edited) label maps, imaging only.
 * The first timepoint is the baseline (RANO 2.0: the post-radiotherapy scan for newly diagnosed
 * disease); later ones in date order, all registered to the baseline so lesion centroids compare.
 *
 * Target lesions are chosen at baseline (selectTargetLesions). At each visit a lesion continues the
 * nearest baseline lesion it lies close to (see RANO.trackingMarginMm); a target that split counts
 * with all its parts, a vanished target counts 0. Rules, first match wins:
 *   1. a new measurable lesion (matching no lesion of any earlier visit) → PD;
 *   2. sum of products ≥ +25 % from the nadir (smallest sum at an earlier visit, baseline included) → PD;
 *   3. the nadir sum was 0 and target disease is back → PD;
 *   4. no enhancing lesion left at all → CR (RANO also needs it sustained ≥ 4 weeks and no
 *      corticosteroids: the clinician's part);
 *   5. sum of products ≤ −50 % from baseline → PR;
 *   6. otherwise SD (with no measurable disease at baseline, SD means "no progression").
 * The volumetric category applies the same rules to the sums of volumes with −65 % / +40 %.
 * Clinical status, corticosteroid dose and non-enhancing (T2/FLAIR) change are not in a label map
 * and stay with the clinician, who confirms or overrides the suggestion.
 * Throws RangeError when no timepoint is given.
 */
export function assessRanoResponse(timepoints: readonly RanoTimepoint[]): RanoAssessment {
  const base = timepoints[0];
  if (!base) throw new RangeError('assessRanoResponse needs at least the baseline timepoint');
  const baseLesions = base.measurement.lesions;
  const targets = selectTargetLesions(baseLesions);
  const targetIds = new Set(targets.map((t) => t.id));
  const results: RanoTimepointResult[] = [];
  const seenBefore: EnhancingLesion[] = [...baseLesions];
  for (const [index, tp] of timepoints.entries()) {
    const lesions = tp.measurement.lesions;
    const track = lesions.map((l) => {
      let bestId: number | null = null;
      let bestD = Infinity;
      for (const b of baseLesions) {
        const d = dist(l.centroidMm, b.centroidMm);
        if (sameLesion(l, b) && d < bestD) {
          bestD = d;
          bestId = b.id;
        }
      }
      return { lesionId: l.id, baselineLesionId: index === 0 ? l.id : bestId };
    });
    const onTargets = lesions.filter((l, i) => targetIds.has(track[i]!.baselineLesionId ?? -1));
    const sumProductsMm2 = onTargets.reduce((s, l) => s + l.productMm2, 0);
    const sumVolumesMl = onTargets.reduce((s, l) => s + l.volumeMl, 0);
    if (index === 0) {
      results.push({
        visit: tp.visit,
        sumProductsMm2,
        sumVolumesMl,
        productChangeFromBaselinePct: null,
        productChangeFromNadirPct: null,
        volumeChangeFromBaselinePct: null,
        volumeChangeFromNadirPct: null,
        nadirVisit: null,
        newMeasurableLesionIds: [],
        lesionTrack: track,
        category: null,
        rule: null,
        volumetricCategory: null,
        volumetricRule: null,
        needsConfirmation: false,
      });
      continue;
    }
    const newIds = index === 0 ? [] : lesions.filter((l) => l.measurable && !seenBefore.some((s) => sameLesion(l, s))).map((l) => l.id);
    const earlier = results.slice(0, index);
    const nadir = earlier.reduce((m, r) => (r.sumProductsMm2 < m.sumProductsMm2 ? r : m));
    const volNadir = earlier.reduce((m, r) => (r.sumVolumesMl < m.sumVolumesMl ? r : m));
    const baseline = results[0]!;
    const decide = (kind: 'product' | 'volume') => {
      const now = kind === 'product' ? sumProductsMm2 : sumVolumesMl;
      const ref = kind === 'product' ? baseline.sumProductsMm2 : baseline.sumVolumesMl;
      const low = kind === 'product' ? nadir.sumProductsMm2 : volNadir.sumVolumesMl;
      const lowVisit = kind === 'product' ? nadir.visit : volNadir.visit;
      const pd = kind === 'product' ? RANO.productProgressionPct : RANO.volumeProgressionPct;
      const pr = kind === 'product' ? RANO.productPartialResponsePct : RANO.volumePartialResponsePct;
      const what = kind === 'product' ? 'sum of products' : 'sum of volumes';
      const fromNadir = pct(now, low);
      const fromBase = pct(now, ref);
      if (newIds.length > 0) return { category: 'PD' as const, rule: `new measurable enhancing lesion${newIds.length > 1 ? 's' : ''} (#${newIds.join(', #')})` };
      if (fromNadir !== null && fromNadir >= pd) return { category: 'PD' as const, rule: `${what} +${fromNadir.toFixed(1)} % from the nadir (${lowVisit}), at or above +${pd} %` };
      if (ref > 0 && low === 0 && now > 0) return { category: 'PD' as const, rule: `target disease reappeared after disappearing at ${lowVisit}` };
      if (lesions.length === 0 && baseLesions.length > 0) return { category: 'CR' as const, rule: 'no enhancing disease left (confirm at ≥ 4 weeks, off corticosteroids)' };
      if (fromBase !== null && fromBase <= pr) return { category: 'PR' as const, rule: `${what} ${fromBase.toFixed(1)} % from baseline, at or below ${pr} %` };
      if (ref === 0) return { category: 'SD' as const, rule: 'no measurable enhancing disease at baseline and no new measurable lesion' };
      return {
        category: 'SD' as const,
        rule: `${what} ${fromBase!.toFixed(1)} % from baseline and ${fromNadir === null ? 'n/a' : (fromNadir >= 0 ? '+' : '') + fromNadir.toFixed(1)} % from the nadir: neither response nor progression`,
      };
    };
    const bi = decide('product');
    const vol = decide('volume');
    results.push({
      visit: tp.visit,
      sumProductsMm2,
      sumVolumesMl,
      productChangeFromBaselinePct: pct(sumProductsMm2, baseline.sumProductsMm2),
      productChangeFromNadirPct: pct(sumProductsMm2, nadir.sumProductsMm2),
      volumeChangeFromBaselinePct: pct(sumVolumesMl, baseline.sumVolumesMl),
      volumeChangeFromNadirPct: pct(sumVolumesMl, volNadir.sumVolumesMl),
      nadirVisit: nadir.visit,
      newMeasurableLesionIds: newIds,
      lesionTrack: track,
      category: bi.category,
      rule: bi.rule,
      volumetricCategory: vol.category,
      volumetricRule: vol.rule,
      needsConfirmation: bi.category === 'PD' && tp.withinTwelveWeeksOfRadiotherapy === true,
    });
    seenBefore.push(...lesions);
  }
  return { targetLesionIds: targets.map((t) => t.id), timepoints: results };
}
