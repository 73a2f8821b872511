/**
 * Which series of a PACS study is the FLAIR, the T1, the post-contrast T1 and the T2: a suggestion
 * for the coordinator to confirm, from each series' description and protocol name and, where those
 * say nothing, its acquisition parameters (PS3.3 C.8.3.1: inversion time, echo and repetition time,
 * contrast agent). Pure. Series that are not usable images are listed as ignored with the reason:
 * localizers/scouts, non-MR, derived or multi-frame (Enhanced MR: refused by name at retrieve),
 * and series with too few slices for a volume.
 *
 * Rules, in order of trust: (1) the description/protocol names the sequence (FLAIR; T2; T1 with
 * post/Gd/contrast/+C/CE words for T1gd); (2) otherwise the physics: TI > 1500 ms with TE > 60 ms is
 * a FLAIR; TE ≥ 60 ms and TR ≥ 2000 ms a T2; TE < 30 ms and (TR < 1000 ms or a gradient-echo/MPRAGE)
 * a T1, post-contrast when a contrast agent is recorded. Among candidates for one role the one with
 * most slices wins (a 3D acquisition over a thick-slice one).
 */
export interface SeriesSummary {
  readonly seriesInstanceUid: string;
  readonly seriesNumber: number | null;
  readonly description: string;
  readonly protocolName: string;
  readonly modality: string;
  readonly instances: number;
  readonly sopClassUid: string;
  readonly imageType: readonly string[];
  readonly frames: number;
  readonly echoTime: number | null;
  readonly repetitionTime: number | null;
  readonly inversionTime: number | null;
  readonly contrastAgent: string;
  readonly scanningSequence: readonly string[];
}

export type MappedRole = 'flair' | 't1' | 't1gd' | 't2';

export interface SeriesSuggestion {
  readonly seriesInstanceUid: string;
  readonly reason: string;
}

export interface SeriesMapping {
  readonly roles: Partial<Record<MappedRole, SeriesSuggestion>>;
  readonly ignored: { readonly seriesInstanceUid: string; readonly reason: string }[];
  /** Per usable series, the role its description or parameters point to (or null), with the reason. */
  readonly classified: { readonly seriesInstanceUid: string; readonly role: MappedRole | null; readonly reason: string }[];
}

/** Fewer slices than this cannot be a brain volume for the model. */
export const MIN_SLICES = 10;

const MULTIFRAME = new Set(['1.2.840.10008.5.1.4.1.1.4.1', '1.2.840.10008.5.1.4.1.1.4.3', '1.2.840.10008.5.1.4.1.1.4.4']);

function ignoreReason(s: SeriesSummary): string | null {
  const text = `${s.description} ${s.protocolName}`;
  if (s.imageType.some((t) => /LOCALIZER|SCOUT/i.test(t)) || /\b(loc|localizer|localiser|scout|survey|3.?plane|tri.?pilot|aahead)\b/i.test(text)) return 'localizer';
  if (s.modality && s.modality !== 'MR') return `modality ${s.modality}, not MR`;
  if (MULTIFRAME.has(s.sopClassUid) || s.frames > 1) return 'enhanced multi-frame MR (not read: export as classic single-frame MR)';
  if (s.imageType[0]?.toUpperCase() === 'DERIVED' || /\b(adc|trace|mip|mpr|subtract|sub|map|perf|dwi|diffusion|swi|fa)\b/i.test(text)) return 'derived or non-structural series';
  if (s.instances < MIN_SLICES) return `${s.instances} slice(s), fewer than ${MIN_SLICES}`;
  return null;
}

function classify(s: SeriesSummary): { role: MappedRole | null; reason: string } {
  const text = `${s.description} ${s.protocolName}`.toLowerCase().replace(/[_-]+/g, ' ');
  const post = /\b(post|gd|gad|gado|contrast|ce|\+c|\+ ?gd|c\+|t1c|t1ce|t1gd|mprage ?post|postcontrast)\b|\+c\b|\bc\+/.test(text) || /t1c|t1ce|t1gd/.test(text);
  if (/flair/.test(text)) return { role: 'flair', reason: `description "${s.description}" names FLAIR` };
  if (/\bt2\b|t2w|t2 tse|t2 fse/.test(text) && !/t2\*|t2 star|gre/.test(text)) return { role: 't2', reason: `description "${s.description}" names T2` };
  if (/\bt1\b|t1w|mprage|spgr|bravo|tfe|vibe|t1c|t1ce|t1gd/.test(text))
    return post
      ? { role: 't1gd', reason: `description "${s.description}" names a post-contrast T1` }
      : s.contrastAgent
        ? { role: 't1gd', reason: `T1 by description, contrast agent "${s.contrastAgent}" recorded` }
        : { role: 't1', reason: `description "${s.description}" names a T1 without contrast` };
  const te = s.echoTime;
  const tr = s.repetitionTime;
  const ti = s.inversionTime;
  if (ti !== null && ti > 1500 && te !== null && te > 60) return { role: 'flair', reason: `TI ${ti} ms and TE ${te} ms (fluid-attenuated inversion recovery)` };
  if (te !== null && tr !== null && te >= 60 && tr >= 2000) return { role: 't2', reason: `TE ${te} ms and TR ${tr} ms (T2-weighted)` };
  if (te !== null && te < 30 && ((tr !== null && tr < 1000) || s.scanningSequence.includes('GR')))
    return s.contrastAgent
      ? { role: 't1gd', reason: `TE ${te} ms, T1-weighted, contrast agent "${s.contrastAgent}"` }
      : { role: 't1', reason: `TE ${te} ms${tr !== null ? `, TR ${tr} ms` : ''} (T1-weighted), no contrast agent recorded` };
  return { role: null, reason: 'neither the description nor the acquisition parameters identify the sequence' };
}

export function suggestSeriesMapping(series: readonly SeriesSummary[]): SeriesMapping {
  const ignored: SeriesMapping['ignored'] = [];
  const classified: SeriesMapping['classified'] = [];
  const best: Partial<Record<MappedRole, { s: SeriesSummary; reason: string }>> = {};
  for (const s of series) {
    const why = ignoreReason(s);
    if (why) {
      ignored.push({ seriesInstanceUid: s.seriesInstanceUid, reason: why });
      continue;
    }
    const c = classify(s);
    classified.push({ seriesInstanceUid: s.seriesInstanceUid, ...c });
    if (!c.role) continue;
    const current = best[c.role];
    // More slices first; on a tie the later series (a repeat after motion is usually the better one).
    if (!current || s.instances > current.s.instances || (s.instances === current.s.instances && (s.seriesNumber ?? 0) > (current.s.seriesNumber ?? 0))) best[c.role] = { s, reason: c.reason };
  }
  const roles: SeriesMapping['roles'] = {};
  for (const [role, b] of Object.entries(best) as [MappedRole, { s: SeriesSummary; reason: string }][]) roles[role] = { seriesInstanceUid: b.s.seriesInstanceUid, reason: b.reason };
  return { roles, ignored, classified };
}
