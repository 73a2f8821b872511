import type { TrialAnalytics } from '../analytics/compute-trial-analytics';
import type { TrialDesign } from '../trials/trial-design';

/** One checklist item: its number and wording, what the platform knows for it, and where that comes from. */
export interface ChecklistItem {
  readonly item: string;
  readonly section: string;
  readonly text: string;
  /** What the platform records for this item; null when it does not know it (to be written by hand). */
  readonly answer: string | null;
  /** The record the answer comes from (table, model card field, design field), or why it is missing. */
  readonly source: string;
}

export interface AiReportingFacts {
  readonly report: Pick<TrialAnalytics, 'model' | 'counts' | 'arms' | 'modelSubgroups' | 'trial'>;
  readonly design: TrialDesign | null;
  /** Study uploads refused by the ingest checks (study_uploads.status = 'rejected'), and all uploads. */
  readonly uploads: { readonly rejected: number; readonly total: number };
  /** Current AI review actions on signed cases, for the assisted arm (segmentation_reviews). */
  readonly aiActions: { readonly accepted: number; readonly edited: number; readonly rejected: number };
  readonly analysisPlan: { readonly version: number; readonly contentSha256: string } | null;
}

const card = (facts: AiReportingFacts) => (facts.report.model?.card ?? {}) as Record<string, unknown>;
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** The answers shared by CONSORT-AI and SPIRIT-AI, keyed by topic. */
function answers(facts: AiReportingFacts): Record<string, { answer: string | null; source: string }> {
  const m = facts.report.model;
  const c = card(facts);
  const input = c.input as { channels?: string[]; spacingMm?: number[] } | undefined;
  const output = c.output as { labels?: Record<string, string> } | undefined;
  const risk = c.riskModel as { output?: string } | undefined;
  const arms = facts.report.arms.map((a) => a.label).join(' vs ');
  const eligibility = facts.design?.eligibility ?? [];
  const computed = facts.report.modelSubgroups.flatMap((g) => (g.result.available ? g.result.value.levels : []));
  const flagged = computed.length === 0 ? undefined : computed.filter((l) => l.blindSpot?.flagged).length;
  const a = facts.aiActions;
  return {
    model: {
      answer: m ? `${m.name} ${m.version}: ${text(c.description) ?? 'segmentation model'} (ONNX SHA-256 ${m.sha256.slice(0, 16)}…)` : null,
      source: m ? 'models (pinned trial model) and its model card: name, version, sha256, description' : 'no model registered for the trial',
    },
    intendedUse: { answer: text(c.intendedUse), source: 'model card: intendedUse' },
    participantEligibility: {
      answer: eligibility.length ? eligibility.map((e) => `${e.kind}: ${e.text}`).join('; ') : null,
      source: eligibility.length ? 'trial design: eligibility' : 'trial design has no eligibility criteria',
    },
    inputEligibility: {
      answer: input?.channels
        ? `Four co-registered MRI sequences (${input.channels.join(', ')}) passing the ingest checks (readable NIfTI/DICOM, shapes and affines agree, no NaN, plausible spacing), resampled to ${(input.spacingMm ?? []).join('×')} mm`
        : null,
      source: 'model card: input; ingest checks (imaging/ingest)',
    },
    integration: {
      answer: `Randomised ${arms}; the assisted arm's clinicians see the AI segmentation overlaid in the case viewer before signing their decision; the control arm reads without AI output (never shown to them)`,
      source: 'trial design: arms; review workflow (server/domain/review)',
    },
    version: {
      answer: m ? `${m.name} ${m.version}${m.pinned ? ' (pinned at go-live)' : ' (not pinned)'}` : null,
      source: m ? 'models.version, trials.model pin' : 'no model registered for the trial',
    },
    inputAcquisition: {
      answer: `Routine pre-operative MRI uploaded by site coordinators (or retrieved from the hospital PACS), de-identified and co-registered on ingest; ${facts.report.counts.modelScored} of ${facts.report.counts.randomized} randomized participants scored by the model${facts.report.counts.simulatedReads > 0 ? ` (${facts.report.counts.simulatedReads} of them SIMULATED demo scores, not model output)` : ''}`,
      source: 'studies, segmentations; analysis dataset counts (simulated_reads counted apart)',
    },
    poorQuality: {
      answer: `Uploads failing a check are refused with the file, field, found and expected value, and nothing is stored: ${facts.uploads.rejected} of ${facts.uploads.total} uploads refused so far`,
      source: "study_uploads.status = 'rejected' (ingest rejections)",
    },
    humanInteraction: {
      answer:
        a.accepted + a.edited + a.rejected > 0
          ? `Clinicians accept, edit or reject the AI segmentation before deciding: ${a.accepted} accepted, ${a.edited} edited, ${a.rejected} rejected; decisions are signed by the clinician`
          : 'Clinicians accept, edit or reject the AI segmentation before deciding; no signed assisted-arm review yet',
      source: 'segmentation_reviews (accepted / edited / rejected) on signed case reviews',
    },
    output: {
      answer: output?.labels ? `Label map (${Object.values(output.labels).join(', ')})${risk?.output ? ` and a ${risk.output}` : ''}` : null,
      source: 'model card: output, riskModel',
    },
    decisionContribution: {
      answer: 'Shown to the assisted-arm clinician beside the images; the clinician states suspected grade, probability and management plan, which is the decision analysed',
      source: 'review workflow; clinician_decisions',
    },
    errors: {
      answer:
        flagged === undefined
          ? 'Model performance per subgroup and segmentation metrics are computed once enough scored cases with a reference exist (none yet)'
          : `Model sensitivity, specificity, AUC and calibration per subgroup with disparity against a reference level; ${flagged} blind-spot flag(s) raised; segmentation Dice/HD95 internal vs external sites; AI output monitored with control charts (oversight)`,
      source: 'analytics: model subgroups, segmentation metrics; oversight alerts',
    },
    access: { answer: null, source: 'not recorded by the platform: state the code and model availability by hand' },
    plan: {
      answer: facts.analysisPlan ? `Statistical analysis plan version ${facts.analysisPlan.version} (SHA-256 ${facts.analysisPlan.contentSha256.slice(0, 16)}…)` : null,
      source: facts.analysisPlan ? 'analysis_plans (signed, locked)' : 'no signed analysis plan',
    },
  };
}

const CONSORT_AI: readonly [string, string, string, string][] = [
  ['1a,b (i)', 'Title and abstract', 'Indicate that the intervention involves artificial intelligence/machine learning and specify the type of model.', 'model'],
  ['1a,b (ii)', 'Title and abstract', 'State the intended use of the AI intervention within the trial in the title and/or abstract.', 'intendedUse'],
  ['2a (i)', 'Background', 'Explain the intended use of the AI intervention in the context of the clinical pathway, including its purpose and its intended users.', 'intendedUse'],
  ['4a (i)', 'Participants', 'State the inclusion and exclusion criteria at the level of participants.', 'participantEligibility'],
  ['4a (ii)', 'Participants', 'State the inclusion and exclusion criteria at the level of the input data.', 'inputEligibility'],
  ['4b', 'Participants', 'Describe how the AI intervention was integrated into the trial setting, including any onsite or offsite requirements.', 'integration'],
  ['5 (i)', 'Interventions', 'State which version of the AI algorithm was used.', 'version'],
  ['5 (ii)', 'Interventions', 'Describe how the input data were acquired and selected for the AI intervention.', 'inputAcquisition'],
  ['5 (iii)', 'Interventions', 'Describe how poor quality or unavailable input data were assessed and handled.', 'poorQuality'],
  ['5 (iv)', 'Interventions', 'Specify whether there was human–AI interaction in the handling of the input data, and what level of expertise was required of users.', 'humanInteraction'],
  ['5 (v)', 'Interventions', 'Specify the output of the AI intervention.', 'output'],
  ['5 (vi)', 'Interventions', "Explain how the AI intervention's outputs contributed to decision-making or other elements of clinical practice.", 'decisionContribution'],
  ['19', 'Harms', 'Describe results of any analysis of performance errors and how errors were identified, where applicable.', 'errors'],
  ['25', 'Funding / other', 'State whether and how the AI intervention and/or its code can be accessed, including any restrictions to access or re-use.', 'access'],
];

const SPIRIT_AI: readonly [string, string, string, string][] = [
  ['1 (i)', 'Title', 'Indicate that the intervention involves artificial intelligence/machine learning and specify the type of model.', 'model'],
  ['1 (ii)', 'Title', 'Specify the intended use of the AI intervention.', 'intendedUse'],
  ['6a (i)', 'Background and rationale', 'Explain the intended use of the AI intervention in the context of the clinical pathway, including its purpose and its intended users.', 'intendedUse'],
  ['9 (i)', 'Study setting', 'Describe the onsite and offsite requirements needed to integrate the AI intervention into the trial setting.', 'integration'],
  ['10 (i)', 'Eligibility criteria', 'State the inclusion and exclusion criteria at the level of participants.', 'participantEligibility'],
  ['10 (ii)', 'Eligibility criteria', 'State the inclusion and exclusion criteria at the level of the input data.', 'inputEligibility'],
  ['11a (i)', 'Interventions', 'State which version of the AI algorithm will be used.', 'version'],
  ['11a (ii)', 'Interventions', 'Specify the procedure for acquiring and selecting the input data for the AI intervention.', 'inputAcquisition'],
  ['11a (iii)', 'Interventions', 'Specify the procedure for assessing and handling poor quality or unavailable input data.', 'poorQuality'],
  ['11a (iv)', 'Interventions', 'Specify whether there is human–AI interaction in the handling of the input data, and what level of expertise is required for users.', 'humanInteraction'],
  ['11a (v)', 'Interventions', 'Specify the output of the AI intervention.', 'output'],
  ['11a (vi)', 'Interventions', "Explain the procedure for how the AI intervention's output will contribute to decision-making or other elements of clinical practice.", 'decisionContribution'],
  ['20a', 'Statistical methods', 'Statistical methods for analysing primary and secondary outcomes (the signed analysis plan).', 'plan'],
  ['22 (i)', 'Harms', 'Specify any plans to identify and analyse performance errors; if there are no plans for this, justify why not.', 'errors'],
  ['29 (i)', 'Access to data', 'State whether and how the AI intervention and/or its code can be accessed, including any restrictions to access or re-use.', 'access'],
];

/**
 * The AI-specific items of CONSORT-AI (X. Liu et al. 2020, Nat Med 26:1364–1374) and SPIRIT-AI
 * (S. Cruz Rivera et al. 2020, Nat Med 26:1351–1363), each filled from what the platform records
 * (model card and version, design, ingest refusals, human–AI review actions, error analyses, the
 * signed analysis plan) with its source named, or left null and marked missing when the platform
 * does not know it. Pure: the caller reads the facts.
 */
export function aiReportingChecklists(facts: AiReportingFacts): { consortAi: ChecklistItem[]; spiritAi: ChecklistItem[] } {
  const known = answers(facts);
  const fill = (rows: readonly [string, string, string, string][]) =>
    rows.map(([item, section, wording, topic]) => ({ item, section, text: wording, answer: known[topic]?.answer ?? null, source: known[topic]?.source ?? 'unknown topic' }));
  return { consortAi: fill(CONSORT_AI), spiritAi: fill(SPIRIT_AI) };
}

/** A checklist as CSV (item, section, text, answer, source, status), RFC 4180 quoting. */
export function checklistCsv(items: readonly ChecklistItem[]): string {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const lines = items.map((i) => [i.item, i.section, i.text, i.answer ?? '', i.source, i.answer === null ? 'missing' : 'filled'].map(q).join(','));
  return ['item,section,text,answer,source,status', ...lines].join('\r\n') + '\r\n';
}
