/** One current follow-up contact, as derive uses it (dates YYYY-MM-DD). */
export interface FollowUpContact {
  readonly visitDate: string;
  readonly deathDate: string | null;
  readonly progressionDate: string | null;
  readonly progressionBasis: 'rano' | 'clinical' | null;
}

export interface TimeToEvent {
  /** Days from randomization to the event, or to the censoring date. */
  readonly days: number;
  /** 1: event observed; 0: censored at the last contact. */
  readonly event: 0 | 1;
}

export interface SurvivalOutcome {
  /** Progression-free survival: progression (RANO or clinical) or death, whichever comes first. */
  readonly pfs: TimeToEvent;
  /** Overall survival: death from any cause. */
  readonly os: TimeToEvent;
  readonly lastContact: string;
  /** Basis of the PFS event: 'rano', 'clinical', 'death', or null when censored. */
  readonly pfsEventBasis: 'rano' | 'clinical' | 'death' | null;
}

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
const earliest = (dates: readonly (string | null)[]) => dates.filter((d): d is string => d !== null).sort()[0] ?? null;
const latest = (dates: readonly (string | null)[]) =>
  dates
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1) ?? null;

/**
 * Progression-free and overall survival of one participant from randomization, per the usual
 * oncology conventions (FDA 2018 guidance on endpoints; RANO 2.0): the event date is the earliest
 * progression (a signed RANO PD assessment's scan date or a clinical progression) or death; a
 * participant without an event is censored at the last date known alive and progression-free (the
 * latest contact). Null when there is no contact and no RANO progression (no follow-up at all: a
 * missing outcome, not a censoring at day 0). Dates before randomization are not follow-up (a
 * progression on a scan taken before randomization is the disease the participant entered with) and
 * are left out, so no time is ever negative.
 *
 * @example
 * deriveTimeToEvent('2026-01-01', [{ visitDate: '2026-04-01', deathDate: null, progressionDate: '2026-03-15', progressionBasis: 'clinical' }], null)?.pfs;
 * // → { days: 73, event: 1 }
 */
export function deriveTimeToEvent(randomizedOn: string, contacts: readonly FollowUpContact[], ranoProgressionOn: string | null): SurvivalOutcome | null {
  const onStudy = (date: string | null) => (date !== null && date >= randomizedOn ? date : null);
  contacts = contacts.filter((c) => c.visitDate >= randomizedOn).map((c) => ({ ...c, deathDate: onStudy(c.deathDate), progressionDate: onStudy(c.progressionDate) }));
  ranoProgressionOn = onStudy(ranoProgressionOn);
  if (contacts.length === 0 && ranoProgressionOn === null) return null;
  const death = earliest(contacts.map((c) => c.deathDate));
  const clinical = earliest(contacts.map((c) => c.progressionDate));
  const progression = earliest([clinical, ranoProgressionOn]);
  // A RANO scan is a contact too: the participant was alive that day.
  const lastContact = latest([...contacts.map((c) => c.visitDate), ranoProgressionOn]) as string;
  const pfsDate = earliest([progression, death]);
  let pfsEventBasis: SurvivalOutcome['pfsEventBasis'] = null;
  if (pfsDate !== null) {
    if (pfsDate === ranoProgressionOn) pfsEventBasis = 'rano';
    else if (pfsDate === clinical) pfsEventBasis = contacts.find((c) => c.progressionDate === clinical)?.progressionBasis ?? 'clinical';
    else pfsEventBasis = 'death';
  }
  return {
    pfs: pfsDate !== null ? { days: days(randomizedOn, pfsDate), event: 1 } : { days: days(randomizedOn, lastContact), event: 0 },
    os: death !== null ? { days: days(randomizedOn, death), event: 1 } : { days: days(randomizedOn, lastContact), event: 0 },
    lastContact,
    pfsEventBasis,
  };
}
