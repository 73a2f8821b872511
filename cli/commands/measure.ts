import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { VolumeFormatError } from '../../imaging/errors';
import { readNifti } from '../../imaging/nifti/read-nifti';
import { measureEnhancingLesions } from '../../imaging/rano/measure-enhancing-lesions';
import { selectTargetLesions } from '../../imaging/rano/select-target-lesions';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const usage = 'usage: segtrial measure --labels LABELS.nii.gz [--json]   (MSD labels: 3 = enhancing tumour)';
const r2 = (x: number) => Math.round(x * 100) / 100;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

const command: CliCommand = {
  name: 'measure',
  summary: 'measure --labels FILE [--json]: RANO 2.0 measurements of each enhancing lesion (diameters, product, measurability, volume) and the sums',
  async run(argv) {
    const { values, positionals } = parseArgs({ args: [...argv], options: { labels: { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true });
    if (!values.labels || positionals.length > 0) throw new CliUsageError(usage);
    const file = values.labels;
    if (!(await stat(file).catch(() => null))?.isFile()) throw new CliUsageError(`${file}: no such file`);
    let m;
    try {
      m = measureEnhancingLesions({ labels: await readNifti(file), file });
    } catch (e) {
      if (!(e instanceof VolumeFormatError)) throw e;
      if (values.json) console.log(JSON.stringify({ error: { file: e.file, field: e.field, found: e.found, expected: e.expected, message: e.message } }, null, 2));
      else console.error(`segtrial measure: ${e.message}`);
      return 1;
    }
    const targets = new Set(selectTargetLesions(m.lesions).map((l) => l.id));
    const lesions = m.lesions.map((l) => ({
      id: l.id,
      longestDiameterMm: r2(l.longestDiameterMm),
      perpendicularDiameterMm: r2(l.perpendicularDiameterMm),
      productMm2: r2(l.productMm2),
      measurable: l.measurable,
      target: targets.has(l.id),
      volumeMl: r3(l.volumeMl),
      slices: l.sliceCount,
      slice: l.slice,
      centroidMm: l.centroidMm.map(r2),
    }));
    const onTargets = m.lesions.filter((l) => targets.has(l.id));
    const sums = {
      targetLesions: onTargets.length,
      sumProductsMm2: r2(onTargets.reduce((s, l) => s + l.productMm2, 0)),
      sumTargetVolumesMl: r3(onTargets.reduce((s, l) => s + l.volumeMl, 0)),
      enhancingVolumeMl: r3(m.enhancingVolumeMl),
    };
    if (values.json) {
      console.log(JSON.stringify({ file, sliceAxis: m.sliceAxis, lesions, sums }, null, 2));
      return 0;
    }
    console.log(`${file}: ${lesions.length} enhancing lesion(s), measured on slices across array axis ${m.sliceAxis}`);
    if (lesions.length) console.log('   #  longest mm  perp. mm  product mm²  measurable  target  volume mL  slices');
    for (const l of lesions)
      console.log(
        `${String(l.id).padStart(4)}  ${l.longestDiameterMm.toFixed(1).padStart(10)}  ${l.perpendicularDiameterMm.toFixed(1).padStart(8)}  ${l.productMm2.toFixed(1).padStart(11)}  ${(l.measurable ? 'yes' : 'no').padStart(10)}  ${(l.target ? 'yes' : '').padStart(6)}  ${l.volumeMl.toFixed(3).padStart(9)}  ${String(l.slices).padStart(6)}`,
      );
    console.log(
      `sum of products (${sums.targetLesions} target lesion(s)): ${sums.sumProductsMm2.toFixed(1)} mm²; target volume ${sums.sumTargetVolumesMl.toFixed(3)} mL; all enhancing ${sums.enhancingVolumeMl.toFixed(3)} mL`,
    );
    return 0;
  },
};
export default command;
