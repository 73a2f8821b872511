import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { renderGallery } from '../../imaging/cohort/gallery';
import { galleryRowFromFolder } from '../../imaging/cohort/gallery-from-files';
import { generateCohort } from '../../imaging/cohort/generate-cohort';
import type { CohortSize } from '../../imaging/cohort/generate-subject';
import type { SiteId } from '../../imaging/cohort/sites';
import { siteIds } from '../../imaging/cohort/sites';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const usage =
  'usage: segtrial cohort generate --out DIR --n N --seed S [--sites site-a,site-b,site-x] [--size full|small|tiny] [--grid acquisition|canonical]\n' +
  '       segtrial cohort gallery --subject DIR [--subject DIR ...] --out PNG [--step MM]';

async function generate(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      out: { type: 'string' },
      n: { type: 'string' },
      seed: { type: 'string' },
      sites: { type: 'string', default: siteIds.join(',') },
      size: { type: 'string', default: 'full' },
      grid: { type: 'string', default: 'acquisition' },
    },
  });
  if (!values.out || !values.n || values.seed === undefined) throw new CliUsageError(usage);
  const n = Number(values.n);
  if (!Number.isInteger(n) || n < 1) throw new CliUsageError(`--n is '${values.n}', expected a positive integer`);
  const sites = values.sites
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = sites.find((s) => !(siteIds as readonly string[]).includes(s));
  if (bad) throw new CliUsageError(`--sites: unknown site '${bad}', expected some of ${siteIds.join(',')}`);
  if (!['full', 'small', 'tiny'].includes(values.size)) throw new CliUsageError(`--size is '${values.size}', expected full, small or tiny`);
  if (!['acquisition', 'canonical'].includes(values.grid)) throw new CliUsageError(`--grid is '${values.grid}', expected acquisition or canonical`);
  const started = performance.now();
  const manifest = await generateCohort({
    out: values.out,
    n,
    seed: values.seed,
    sites: sites as SiteId[],
    size: values.size as CohortSize,
    grid: values.grid as 'acquisition' | 'canonical',
    onSubject: (r, ms) =>
      console.log(`${r.id} ${r.site.padEnd(6)} ${r.tumor ? r.tumor.kind.padEnd(13) : 'no tumor     '} high-grade ${r.outcome.highGrade ? 'yes' : 'no '}  ${(ms / 1000).toFixed(1)} s`),
  });
  console.log(`${manifest.subjects.length} subjects in ${((performance.now() - started) / 1000).toFixed(1)} s → ${values.out} (manifest.json, manifest.csv)`);
  return 0;
}

async function gallery(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { subject: { type: 'string', multiple: true }, out: { type: 'string' }, step: { type: 'string', default: '1' } } });
  if (!values.subject?.length || !values.out) throw new CliUsageError(usage);
  const rows = [];
  for (const dir of values.subject) rows.push(await galleryRowFromFolder(dir));
  const step = Number(values.step);
  if (!(step > 0)) throw new CliUsageError(`--step is '${values.step}', expected a pixel size in mm`);
  await writeFile(values.out, renderGallery(rows, step));
  console.log(`${values.out}: ${rows.length} subject(s) × FLAIR, T1, T1gd, T2, FLAIR with labels`);
  return 0;
}

const command: CliCommand = {
  name: 'cohort',
  summary: 'cohort generate --out DIR --n N --seed S | cohort gallery: synthetic multi-sequence MRI cohort',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'generate') return generate(rest);
    if (sub === 'gallery') return gallery(rest);
    throw new CliUsageError(usage);
  },
};
export default command;
