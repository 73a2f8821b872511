/**
 * Gallery rows from subject folders written by generateCohort: reads the four sequences and the
 * label map and centres the axial plane on the tumour (centroid of labels 2–3), or on the middle of
 * the label grid when there is no tumour.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readNifti } from '../nifti/read-nifti';
import { applyAffine } from '../volume';
import type { GalleryRow } from './gallery';
import { sequences } from './sites';

export async function galleryRowFromFolder(dir: string): Promise<GalleryRow> {
  const names = await readdir(dir);
  const find = (suffix: string) => {
    const f = names.find((n) => n.endsWith(`_${suffix}.nii.gz`));
    if (!f) throw new Error(`${dir}: no *_${suffix}.nii.gz`);
    return path.join(dir, f);
  };
  const images = await Promise.all(sequences.map((s) => readNifti(find(s))));
  const label = await readNifti(find('label'));
  const [nx, ny, nz] = label.dims;
  let sx = 0,
    sy = 0,
    sz = 0,
    cnt = 0;
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++, i++)
        if (label.data[i]! >= 2) {
          sx += x;
          sy += y;
          sz += z;
          cnt++;
        }
  const centre = cnt > 0 ? applyAffine(label.affine, [sx / cnt, sy / cnt, sz / cnt]) : applyAffine(label.affine, [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2]);
  return { images, label, overlayOn: 0, zMm: centre[2], window: [-80, 80, -115, 80] };
}
