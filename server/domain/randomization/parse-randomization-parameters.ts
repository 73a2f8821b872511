import type { z } from 'zod';
import { randomizationParametersSchema, type RandomizationParameters } from './parameters';
import { RANDOMIZATION_ERROR_CODES, RandomizationError, type RandomizationErrorCode } from './randomization-error';

type Path = readonly PropertyKey[];

function formatPath(path: Path): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), '');
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function isRandomizationErrorCode(value: unknown): value is RandomizationErrorCode {
  return typeof value === 'string' && (RANDOMIZATION_ERROR_CODES as readonly string[]).includes(value);
}

/** Schema issues (wrong type, out of range) map to a code by where they occur. */
function codeForIssue(issue: z.core.$ZodIssue): RandomizationErrorCode {
  if (issue.code === 'custom' && isRandomizationErrorCode(issue.params?.['randomizationCode'])) {
    return issue.params['randomizationCode'];
  }
  const [head, , field] = issue.path;
  if (head === 'arms' && field === 'ratio') return 'INVALID_RATIO';
  if (head === 'arms') return 'INVALID_ARMS';
  if (head === 'blockSizes') return 'INVALID_BLOCK_SIZES';
  if (head === 'minimization') return 'INVALID_MINIMIZATION';
  if (head === 'factors') return 'INVALID_FACTOR';
  return 'INVALID_PARAMETERS';
}

/**
 * Validates randomization parameters and fills in defaults.
 *
 * Throws RandomizationError whose code is that of the first problem found (e.g. INVALID_RATIO for
 * `ratio: 0`, INVALID_BLOCK_SIZES for block size 3 with ratio 1:1); `details.issues` lists all of
 * them as `{ code, path, message }`.
 *
 * @example parseRandomizationParameters({ method: 'permuted_blocks' }).blockSizes // [2, 4, 6]
 */
export function parseRandomizationParameters(input: unknown): RandomizationParameters {
  const result = randomizationParametersSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const got = issue.code === 'custom' ? undefined : valueAt(input, issue.path);
    const suffix = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
    return { code: codeForIssue(issue), path, message: `${path || 'parameters'}: ${issue.message}${suffix}` };
  });
  const first = issues[0];
  if (!first) throw new RandomizationError('INVALID_PARAMETERS', 'randomization parameters are invalid');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new RandomizationError(first.code, `${first.message}${more}`, { issues });
}
