import { writeFileSync } from 'node:fs';
import { formatCsv } from '../../analysis/format-csv';
import { buildAdtte } from '../../analysis/build-adtte';
import { adamSampleTrial } from './adam-sample-trial';
import { adamSubjectsOf } from '../../server/domain/adam/adam-subjects-of';

/**
 * Writes the platform's ADTTE of the seeded sample trial to analysis/fixtures/adtte-sample.csv,
 * the input of analysis/fixtures/generate-adtte-check.R. Run from the repository root:
 *   npx tsx test/support/write-adtte-sample.ts && Rscript analysis/fixtures/generate-adtte-check.R
 */
const { dataset, extras } = adamSampleTrial();
const { study, subjects } = adamSubjectsOf(dataset, extras);
writeFileSync('analysis/fixtures/adtte-sample.csv', formatCsv(buildAdtte(study, subjects)));
console.log('wrote analysis/fixtures/adtte-sample.csv');
