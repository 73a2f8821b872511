import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeSequence, type IngestFile } from '../../imaging/ingest/decode';
import { IngestError } from '../../imaging/ingest/errors';
import { resolveLimits } from '../../imaging/ingest/limits';
import { orientationCode } from '../../imaging/orientation';
import type { CliCommand } from '../command';
import { CliUsageError } from '../command';

const usage = 'usage: segtrial inspect FILE|DICOM_FOLDER [--json]   (FILE: .nii, .nii.gz, or .zip of a DICOM series)';

async function readInput(target: string): Promise<IngestFile | IngestFile[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new CliUsageError(`${target}: no such file or folder`);
  if (!info.isDirectory()) return { name: path.basename(target), bytes: new Uint8Array(await readFile(target)) };
  const names = (await readdir(target, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name).sort();
  return Promise.all(names.map(async (n) => ({ name: `${path.basename(target)}/${n}`, bytes: new Uint8Array(await readFile(path.join(target, n))) })));
}

const command: CliCommand = {
  name: 'inspect',
  summary: 'inspect FILE [--json]: dims, voxel spacing, datatype, voxel-to-world affine and orientation of a NIfTI or DICOM series',
  async run(argv) {
    const { values, positionals } = parseArgs({ args: [...argv], options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
    if (positionals.length !== 1) throw new CliUsageError(usage);
    const input = await readInput(positionals[0]!);
    let decoded;
    try {
      decoded = await decodeSequence(input, resolveLimits());
    } catch (e) {
      if (!(e instanceof IngestError)) throw e;
      if (values.json) console.log(JSON.stringify({ error: { code: e.code, file: e.file, field: e.field, found: e.found, expected: e.expected, message: e.message } }, null, 2));
      else console.error(`segtrial inspect: ${e.message}`);
      return 1;
    }
    const v = decoded.volume;
    const affine = [0, 1, 2, 3].map((r) => v.affine.slice(r * 4, r * 4 + 4).map((x) => +x.toFixed(6)));
    const report = {
      file: decoded.file,
      format: decoded.format,
      dims: [...v.dims],
      spacing: v.spacing.map((s) => +s.toFixed(6)),
      datatype: decoded.storedDatatype,
      orientation: orientationCode(v.affine),
      affine,
      identifyingFields: decoded.deidentification.map((a) => a.field),
    };
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`${report.file} (${report.format})`);
      console.log(`  dims         ${report.dims.join(' × ')}`);
      console.log(`  spacing      ${report.spacing.join(' × ')} mm`);
      console.log(`  datatype     ${report.datatype}`);
      console.log(`  orientation  ${report.orientation}`);
      console.log(`  affine (voxel → RAS+ mm)`);
      for (const row of affine) console.log(`    ${row.map((x) => x.toFixed(4).padStart(11)).join(' ')}`);
      if (report.identifyingFields.length) console.log(`  identifying  ${report.identifyingFields.join('; ')} (removed on ingest)`);
    }
    return 0;
  },
};
export default command;
