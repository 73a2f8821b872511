import { canonicalJson } from '../randomization/canonical-json';

/** The parts of a design a reader of an amendment compares, loosely typed: stored designs are plain JSON. */
interface DesignLike {
  readonly randomization?: unknown;
  readonly eligibility?: readonly { readonly id: string; readonly text: string; readonly kind: string; readonly waivable?: boolean }[];
  readonly targetSampleSize?: number;
  readonly coordinatorsSeeArm?: boolean;
  readonly editChecks?: unknown;
  readonly imagingVisits?: readonly { readonly code: string; readonly label: string; readonly offsetDays: number; readonly windowDays: number }[];
}

/**
 * What an amendment changed, one sentence per change, in the words of the protocol (criteria by id
 * and text, visits by code), so a monitor reads the amendment without comparing two JSON documents.
 *
 * @example describeDesignChanges({ targetSampleSize: 100 }, { targetSampleSize: 120 }) // ['Target sample size 100 → 120.']
 */
export function describeDesignChanges(before: DesignLike, after: DesignLike): string[] {
  const changes: string[] = [];
  const oldCriteria = new Map((before.eligibility ?? []).map((c) => [c.id, c]));
  const newCriteria = new Map((after.eligibility ?? []).map((c) => [c.id, c]));
  for (const [id, c] of newCriteria) {
    const old = oldCriteria.get(id);
    if (!old) changes.push(`Eligibility: ${c.kind} criterion '${id}' added ("${c.text}"${c.waivable ? ', waivable' : ''}).`);
    else {
      if (old.text !== c.text) changes.push(`Eligibility: criterion '${id}' reworded from "${old.text}" to "${c.text}".`);
      if (old.kind !== c.kind) changes.push(`Eligibility: criterion '${id}' is now an ${c.kind} criterion (was ${old.kind}).`);
      if ((old.waivable ?? false) !== (c.waivable ?? false)) changes.push(`Eligibility: criterion '${id}' is ${c.waivable ? 'now waivable' : 'no longer waivable'}.`);
    }
  }
  for (const [id, c] of oldCriteria) if (!newCriteria.has(id)) changes.push(`Eligibility: ${c.kind} criterion '${id}' removed ("${c.text}").`);
  if (before.targetSampleSize !== after.targetSampleSize) changes.push(`Target sample size ${before.targetSampleSize ?? '—'} → ${after.targetSampleSize ?? '—'}.`);
  if ((before.coordinatorsSeeArm ?? false) !== (after.coordinatorsSeeArm ?? false))
    changes.push(after.coordinatorsSeeArm ? 'Coordinators now see allocations (open-label for coordinators).' : 'Coordinators no longer see allocations.');
  if (canonicalJson(before.imagingVisits ?? null) !== canonicalJson(after.imagingVisits ?? null)) {
    const describe = (v: DesignLike['imagingVisits']) => (v ? v.map((x) => `${x.code} day ${x.offsetDays}±${x.windowDays}`).join(', ') : 'the default schedule');
    changes.push(`Imaging visits: ${describe(before.imagingVisits)} → ${describe(after.imagingVisits)}.`);
  }
  if (canonicalJson(before.editChecks ?? null) !== canonicalJson(after.editChecks ?? null)) changes.push('Edit checks of the reader form changed.');
  if (canonicalJson(before.randomization ?? null) !== canonicalJson(after.randomization ?? null)) changes.push('Randomization parameters changed (under a new published commitment).');
  return changes;
}
