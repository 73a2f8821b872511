/** The trial facts every ADaM data set of analysis/ needs (built in server/domain/adam from the database). */
export interface AdamStudy {
  /** STUDYID: the trial's slug. */
  readonly studyId: string;
  readonly arms: readonly { readonly key: string; readonly label: string }[];
  /** The stratification factors, in the design's order (STRAT1 … STRATn). */
  readonly factors: readonly string[];
  /** 'closed' once the trial has ended (then a subject still on study has completed it). */
  readonly status: string;
}

/** One randomized participant, as ADSL and ADTTE derive from (dates YYYY-MM-DD). */
export interface AdamSubject {
  /** SUBJID: the pseudonymous study ID. */
  readonly subjectId: string;
  readonly site: string;
  readonly arm: string;
  readonly age: number | null;
  readonly sex: string | null;
  readonly randomizedOn: string;
  /** The randomization stratum key (site and factor levels). */
  readonly stratum: string;
  /** Stratification factor → level. */
  readonly levels: Readonly<Record<string, string>>;
  /** Every eligibility criterion answered as met (null: no checklist answers recorded). */
  readonly eligible: boolean | null;
  /** The first signed read of the baseline study: the start of the intervention (AI-assisted or usual review). */
  readonly firstReadOn: string | null;
  readonly protocolDeviation: boolean;
  /** A withdrawal was recorded (whatever else was). */
  readonly withdrawn: boolean;
  /** Withdrawal or loss to follow-up (the earliest), with its reason as CONSORT lists it. */
  readonly discontinuation: { readonly on: string; readonly kind: 'withdrawn' | 'lost_to_follow_up'; readonly reason: string } | null;
  /** Progression-free and overall survival as deriveTimeToEvent gives them; null without any follow-up contact. */
  readonly survival: {
    readonly pfsDays: number;
    readonly pfsEvent: 0 | 1;
    readonly pfsBasis: 'rano' | 'clinical' | 'death' | null;
    readonly osDays: number;
    readonly osEvent: 0 | 1;
    readonly lastContact: string;
  } | null;
}

/** One variable of an ADaM data set, as a define-style dictionary lists it. */
export interface AdamVariable {
  readonly dataset: 'ADSL' | 'ADTTE';
  /** Name (≤ 8 characters, upper case, as SAS transport files require). */
  readonly name: string;
  /** Label (≤ 40 characters). */
  readonly label: string;
  readonly type: 'Char' | 'Num';
  /** Numeric dates are not used: dates are ISO 8601 text (the CSV's form), marked here. */
  readonly format: string | null;
  readonly derivation: string;
}

/** A data set as columns and rows (the CSV writer's input) plus its variable metadata. */
export interface AdamDataset {
  readonly name: 'ADSL' | 'ADTTE';
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
  readonly variables: readonly AdamVariable[];
}
