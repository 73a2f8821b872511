import { AnalysisInputError } from '@/analysis/errors';

/** A section is computed, or says why not (too few patients, no events …): never a faked figure. */
export type Section<T> = { readonly available: true; readonly value: T } | { readonly available: false; readonly reason: string };

/** Raised by `need` inside a section: the data are too few for the figure, which is then marked unavailable. */
export class NotEnoughData extends Error {}

/** Computes one figure of the report, or marks it unavailable with the reason the analysis gave. */
export function section<T>(compute: () => T): Section<T> {
  try {
    return { available: true, value: compute() };
  } catch (error) {
    if (error instanceof AnalysisInputError || error instanceof NotEnoughData)
      return { available: false, reason: error instanceof AnalysisInputError ? `${error.code}: ${error.message}` : error.message };
    throw error;
  }
}

/** Inside `section`: stops the figure with `reason` unless `condition` holds. */
export function need(condition: boolean, reason: string): void {
  if (!condition) throw new NotEnoughData(reason);
}
