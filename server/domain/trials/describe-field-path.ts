/** Words for the field names of the design and enrollment forms, as a coordinator reads them. */
const FIELD_WORDS: Record<string, string> = {
  design: '',
  randomization: 'randomization',
  blockSizes: 'block size',
  arms: 'arm',
  ratio: 'ratio',
  key: 'key',
  label: 'label',
  factors: 'stratification factor',
  levels: 'level',
  name: 'name',
  minimization: 'minimization',
  p: 'probability p',
  eligibility: 'eligibility criterion',
  id: 'id',
  text: 'text',
  kind: 'kind',
  targetSampleSize: 'target sample size',
  coordinatorsSeeArm: 'arm visibility',
  editChecks: 'edit check',
  studyId: 'study ID',
  baseline: '',
  age: 'age',
  sex: 'sex',
  scannerVendor: 'scanner vendor',
  fieldStrength: 'field strength',
  consentDate: 'consent date',
  siteId: 'site',
  slug: 'short name',
  sites: 'site',
  code: 'code',
};

/**
 * A validation issue's path in words instead of a schema path: `design.randomization.blockSizes.0`
 * becomes "randomization, block size 1". Unknown names are kept as they are.
 *
 * @example describeFieldPath(['design', 'randomization', 'blockSizes', 0]) // 'randomization, block size 1'
 */
export function describeFieldPath(path: readonly (string | number | symbol)[]): string {
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (parts.length > 0) parts[parts.length - 1] = `${parts[parts.length - 1]} ${segment + 1}`;
      else parts.push(`item ${segment + 1}`);
      continue;
    }
    const name = String(segment);
    const word = FIELD_WORDS[name] ?? name;
    if (word) parts.push(word);
  }
  return parts.join(', ');
}
