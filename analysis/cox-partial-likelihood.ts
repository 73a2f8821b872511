/** Survival data prepared once for repeated evaluation of the Cox partial likelihood. */
export interface CoxData {
  readonly n: number;
  /** Number of covariates p. */
  readonly p: number;
  /** Covariates centred on their means, column-major: x[j][i] (centring leaves β unchanged, keeps exp(η) finite). */
  readonly x: readonly Float64Array[];
  readonly time: Float64Array;
  readonly event: Uint8Array;
  /** Subject indices grouped by stratum, each group sorted by time descending (risk sets accumulate). */
  readonly strata: readonly Int32Array[];
}

export interface CoxEventTime {
  readonly stratum: number;
  readonly time: number;
  readonly deaths: number;
  /** This time's contribution to the score, Σ_D x − Σ_r x̄_r (length p). */
  readonly score: Float64Array;
  /** This time's contribution to the information, Σ_r V_r (p × p, row-major). */
  readonly information: Float64Array;
}

export interface CoxLikelihood {
  readonly logLik: number;
  readonly score: Float64Array;
  /** Observed information, p × p, row-major. */
  readonly information: Float64Array;
}

/**
 * Log partial likelihood of the Cox model with its score vector and observed information at β,
 * with Efron's (default) or Breslow's handling of tied event times, summed over strata (each
 * stratum has its own baseline hazard and risk sets) — the quantities R's `coxph` iterates on.
 * For d deaths D tied at t with risk set R, Efron's term is Σ_D η − Σ_{r<d} log(S₀ − (r/d)·S₀ᴰ),
 * S₀ = Σ_R e^η, S₀ᴰ = Σ_D e^η (Breslow: r = 0 every time). `onEventTime` receives each distinct
 * event time's score and information contributions (for `coxZph`). O(n·p²) per call.
 * Reference: B. Efron (1977), JASA 72:557–565; T. M. Therneau & P. M. Grambsch (2000), Modeling
 * Survival Data, §3.3.
 *
 * @example
 * const data = prepareCoxData([1, 2, 3, 4], [1, 1, 0, 1], [[0, 1, 0, 1]]);
 * coxPartialLikelihood(data, [0], 'efron').logLik; // → -2.484906649788 (= −log 12: risk sets of 4, 3 and 1)
 */
export function coxPartialLikelihood(data: CoxData, beta: readonly number[], ties: 'efron' | 'breslow', onEventTime?: (e: CoxEventTime) => void): CoxLikelihood {
  const { p, x, time, event } = data;
  const score = new Float64Array(p);
  const information = new Float64Array(p * p);
  let logLik = 0;
  const risk = new Float64Array(data.n);
  for (let i = 0; i < data.n; i++) {
    let eta = 0;
    for (let j = 0; j < p; j++) eta += (beta[j] as number) * ((x[j] as Float64Array)[i] as number);
    risk[i] = eta;
  }
  const s1 = new Float64Array(p);
  const s2 = new Float64Array(p * p);
  const d1 = new Float64Array(p);
  const d2 = new Float64Array(p * p);
  const xsumD = new Float64Array(p);
  const mean = new Float64Array(p);
  data.strata.forEach((members, stratumIndex) => {
    let s0 = 0;
    s1.fill(0);
    s2.fill(0);
    for (let m = 0; m < members.length;) {
      const t = time[members[m] as number] as number;
      let d0 = 0;
      let deaths = 0;
      let etaD = 0;
      d1.fill(0);
      d2.fill(0);
      xsumD.fill(0);
      for (; m < members.length && time[members[m] as number] === t; m++) {
        const i = members[m] as number;
        const w = Math.exp(risk[i] as number);
        s0 += w;
        for (let a = 0; a < p; a++) {
          const xa = (x[a] as Float64Array)[i] as number;
          s1[a] = (s1[a] as number) + w * xa;
          for (let b = 0; b <= a; b++) s2[a * p + b] = (s2[a * p + b] as number) + w * xa * ((x[b] as Float64Array)[i] as number);
        }
        if (event[i] === 1) {
          deaths++;
          d0 += w;
          etaD += risk[i] as number;
          for (let a = 0; a < p; a++) {
            const xa = (x[a] as Float64Array)[i] as number;
            xsumD[a] = (xsumD[a] as number) + xa;
            d1[a] = (d1[a] as number) + w * xa;
            for (let b = 0; b <= a; b++) d2[a * p + b] = (d2[a * p + b] as number) + w * xa * ((x[b] as Float64Array)[i] as number);
          }
        }
      }
      if (deaths === 0) continue;
      const eventScore = new Float64Array(xsumD);
      const eventInfo = new Float64Array(p * p);
      logLik += etaD;
      for (let r = 0; r < deaths; r++) {
        const f = ties === 'efron' ? r / deaths : 0;
        const denom = s0 - f * d0;
        logLik -= Math.log(denom);
        for (let a = 0; a < p; a++) {
          mean[a] = ((s1[a] as number) - f * (d1[a] as number)) / denom;
          eventScore[a] = (eventScore[a] as number) - (mean[a] as number);
        }
        for (let a = 0; a < p; a++) {
          for (let b = 0; b <= a; b++) {
            const v = ((s2[a * p + b] as number) - f * (d2[a * p + b] as number)) / denom - (mean[a] as number) * (mean[b] as number);
            eventInfo[a * p + b] = (eventInfo[a * p + b] as number) + v;
          }
        }
      }
      for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) eventInfo[b * p + a] = eventInfo[a * p + b] as number;
      for (let a = 0; a < p; a++) score[a] = (score[a] as number) + (eventScore[a] as number);
      for (let k = 0; k < p * p; k++) information[k] = (information[k] as number) + (eventInfo[k] as number);
      onEventTime?.({ stratum: stratumIndex, time: t, deaths, score: eventScore, information: eventInfo });
    }
  });
  return { logLik, score, information };
}
