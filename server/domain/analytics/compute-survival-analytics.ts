import { coxProportionalHazards } from '@/analysis/cox-proportional-hazards';
import { coxZph } from '@/analysis/cox-zph';
import { AnalysisInputError } from '@/analysis/errors';
import { kaplanMeier } from '@/analysis/kaplan-meier';
import { kaplanMeierMedian } from '@/analysis/kaplan-meier-median';
import { logRankTest } from '@/analysis/log-rank-test';
import { numbersAtRisk } from '@/analysis/numbers-at-risk';
import { rmstDifference } from '@/analysis/rmst-difference';
import type { AnalysisRow } from './analysis-dataset';

/** Days per month for the survival figures (365.25 / 12), the convention of oncology reports. */
export const DAYS_PER_MONTH = 30.4375;

export type SurvivalSection<T> = { readonly available: true; readonly value: T } | { readonly available: false; readonly reason: string };

function section<T>(compute: () => T): SurvivalSection<T> {
  try {
    return { available: true, value: compute() };
  } catch (error) {
    if (error instanceof AnalysisInputError) return { available: false, reason: `${error.code}: ${error.message}` };
    if (error instanceof NotEnough) return { available: false, reason: error.message };
    throw error;
  }
}
class NotEnough extends Error {}
const need = (ok: boolean, reason: string) => {
  if (!ok) throw new NotEnough(reason);
};

export const SURVIVAL_ENDPOINTS = [
  { key: 'pfs', label: 'Progression-free survival (progression by RANO or clinically, or death)', days: (r: AnalysisRow) => r.pfsDays, event: (r: AnalysisRow) => r.pfsEvent },
  { key: 'os', label: 'Overall survival (death from any cause)', days: (r: AnalysisRow) => r.osDays, event: (r: AnalysisRow) => r.osEvent },
] as const;

/**
 * The time-to-event part of the report, per endpoint (PFS, OS): Kaplan–Meier curves by arm in months
 * with log-log intervals, numbers at risk every 3 months, medians (Brookmeyer–Crowley), the log-rank
 * test unstratified and stratified by the randomization strata, the Cox hazard ratio of arm A vs arm B
 * (Efron ties) unstratified and stratified, the cox.zph test of proportional hazards, and the RMST
 * difference to the horizon (or to the shorter arm's follow-up when that is shorter). Participants
 * without any follow-up are left out and counted. Each part is computed or says why not.
 */
export function computeSurvivalAnalytics({
  rows,
  armA,
  armB,
  labelOf,
  horizonMonths,
}: {
  rows: readonly AnalysisRow[];
  armA: string;
  armB: string;
  labelOf: (arm: string) => string;
  horizonMonths: number;
}) {
  return SURVIVAL_ENDPOINTS.map((endpoint) => {
    const used = rows.filter((r) => (r.arm === armA || r.arm === armB) && endpoint.days(r) !== null);
    const time = used.map((r) => (endpoint.days(r) as number) / DAYS_PER_MONTH);
    const event = used.map((r) => endpoint.event(r) as number);
    const arm = used.map((r) => r.arm);
    const strata = used.map((r) => r.stratum);
    const maxTime = time.length ? Math.max(...time) : 0;
    const riskTimes = Array.from({ length: Math.floor(maxTime / 3) + 1 }, (_, k) => 3 * k);
    const arms = [armA, armB].map((key) => {
      const idx = arm.flatMap((a, i) => (a === key ? [i] : []));
      const t = idx.map((i) => time[i] as number);
      const e = idx.map((i) => event[i] as number);
      const curve = section(() => {
        need(t.length > 0, `no ${endpoint.key} follow-up in ${labelOf(key)}`);
        const km = kaplanMeier(t, e);
        return { steps: km.steps, median: kaplanMeierMedian(km) };
      });
      return {
        arm: key,
        label: labelOf(key),
        n: t.length,
        events: e.reduce((s, x) => s + x, 0),
        missing: rows.filter((r) => r.arm === key && endpoint.days(r) === null).length,
        curve,
        atRisk: numbersAtRisk(t, riskTimes),
      };
    });
    const bothArms = () =>
      need((arms[0]?.n ?? 0) > 0 && (arms[1]?.n ?? 0) > 0, `${endpoint.key} follow-up in ${arms[0]?.n ?? 0} and ${arms[1]?.n ?? 0} participants of ${labelOf(armA)} and ${labelOf(armB)}`);
    const treat = arm.map((a) => (a === armA ? 1 : 0));
    const cox = (stratified: boolean) =>
      section(() => {
        bothArms();
        need(event.reduce((s, x) => s + x, 0) >= 2, `${event.reduce((s, x) => s + x, 0)} ${endpoint.key} events (need 2)`);
        const fit = coxProportionalHazards({ time, event, covariates: { arm: treat }, ...(stratified ? { strata } : {}) });
        const c = fit.coefficients[0] as (typeof fit.coefficients)[number];
        const zph = coxZph(fit);
        return { hazardRatio: c.hazardRatio, lower: c.lower, upper: c.upper, p: c.p, events: fit.events, strata: fit.strata, proportionalHazards: zph.terms[0] as (typeof zph.terms)[number] };
      });
    const lastA = Math.max(0, ...arm.flatMap((a, i) => (a === armA ? [time[i] as number] : [])));
    const lastB = Math.max(0, ...arm.flatMap((a, i) => (a === armB ? [time[i] as number] : [])));
    const tau = Math.min(horizonMonths, lastA, lastB);
    return {
      endpoint: endpoint.key,
      label: endpoint.label,
      n: used.length,
      events: event.reduce((s, x) => s + x, 0),
      riskTimes,
      arms,
      logRank: section(() => {
        bothArms();
        return logRankTest(time, event, arm);
      }),
      logRankStratified: section(() => {
        bothArms();
        return logRankTest(time, event, arm, strata);
      }),
      cox: cox(false),
      coxStratified: cox(true),
      rmst: section(() => {
        bothArms();
        need(tau > 0, 'no follow-up time to restrict the mean to');
        const pick = (key: string) => ({ time: time.filter((_, i) => arm[i] === key), event: event.filter((_, i) => arm[i] === key) });
        return rmstDifference(pick(armA), pick(armB), tau);
      }),
    };
  });
}

export type SurvivalAnalytics = ReturnType<typeof computeSurvivalAnalytics>;
