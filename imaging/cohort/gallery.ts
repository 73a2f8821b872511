/**
 * Gallery images: for each subject, an axial slice of each sequence (through the tumour centre, or
 * the brain centre) resampled from whatever grid the file uses onto a 1 mm RAS plane, shown in
 * radiological convention (patient's right on the image's left, anterior up), windowed to the
 * 0.5–99.5 % intensities of the slice; a last tile repeats one sequence with the label outlines
 * drawn in colour (oedema green, non-enhancing/necrotic red, enhancing yellow).
 */
import { encodePng } from '../png';
import { sampleLinear } from '../resample';
import type { Volume } from '../volume';
import { applyAffine, invertAffine } from '../volume';

const outlineColours: Record<number, [number, number, number]> = { 1: [40, 220, 60], 2: [230, 40, 40], 3: [255, 230, 0] };

export interface GalleryRow {
  /** Shown as they are; the last tile repeats `overlayOn` with the label outlines. */
  images: readonly Volume[];
  overlayOn?: number;
  label: Volume | null;
  /** World z (mm) of the axial plane. */
  zMm: number;
  /** Plane window in world x, y (mm): [xmin, xmax, ymin, ymax]. */
  window: readonly [number, number, number, number];
}

function samplePlane(v: Volume, window: GalleryRow['window'], zMm: number, step: number, nearest: boolean): { w: number; h: number; values: Float32Array } {
  const [x0, x1, y0, y1] = window;
  const w = Math.round((x1 - x0) / step);
  const h = Math.round((y1 - y0) / step);
  const inv = invertAffine(v.affine);
  const values = new Float32Array(w * h);
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const wx = x1 - c * step; // radiological: right on the left
      const wy = y1 - r * step; // anterior up
      const [i, j, k] = applyAffine(inv, [wx, wy, zMm]);
      if (nearest) {
        const a = Math.round(i),
          b = Math.round(j),
          d = Math.round(k);
        values[r * w + c] = a < 0 || b < 0 || d < 0 || a >= v.dims[0] || b >= v.dims[1] || d >= v.dims[2] ? 0 : v.data[a + v.dims[0] * (b + v.dims[1] * d)]!;
      } else values[r * w + c] = sampleLinear(v.data, v.dims, i, j, k, 0);
    }
  return { w, h, values };
}

export function renderGallery(rows: readonly GalleryRow[], stepMm = 1, gap = 2): Uint8Array {
  const tiles = rows.map((row) => {
    const labels = row.label ? samplePlane(row.label, row.window, row.zMm, stepMm, true) : null;
    const shown = row.label ? [...row.images, row.images[row.overlayOn ?? 0]!] : row.images;
    return shown.map((img, col) => {
      const withOutline = labels && col === row.images.length;
      const p = samplePlane(img, row.window, row.zMm, stepMm, false);
      const sorted = Float32Array.from(p.values).sort();
      const lo = sorted[Math.floor(sorted.length * 0.005)]!;
      const hi = sorted[Math.floor(sorted.length * 0.995)]! || 1;
      const rgb = new Uint8Array(p.w * p.h * 3);
      for (let i = 0; i < p.values.length; i++) {
        const g = Math.max(0, Math.min(255, Math.round(((p.values[i]! - lo) / (hi - lo || 1)) * 255)));
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = g;
      }
      if (labels && withOutline) {
        for (let r = 0; r < p.h; r++)
          for (let c = 0; c < p.w; c++) {
            const l = labels.values[r * p.w + c]!;
            if (l === 0) continue;
            const nb = [
              c > 0 ? labels.values[r * p.w + c - 1] : 0,
              c < p.w - 1 ? labels.values[r * p.w + c + 1] : 0,
              r > 0 ? labels.values[(r - 1) * p.w + c] : 0,
              r < p.h - 1 ? labels.values[(r + 1) * p.w + c] : 0,
            ];
            if (nb.some((m) => m !== l)) rgb.set(outlineColours[l] ?? [255, 0, 255], 3 * (r * p.w + c));
          }
      }
      return { w: p.w, h: p.h, rgb };
    });
  });
  const tw = tiles[0]?.[0]?.w ?? 1,
    th = tiles[0]?.[0]?.h ?? 1;
  const cols = Math.max(...tiles.map((t) => t.length));
  const W = cols * tw + (cols - 1) * gap,
    H = tiles.length * th + (tiles.length - 1) * gap;
  const out = new Uint8Array(W * H * 3);
  tiles.forEach((row, ri) =>
    row.forEach((t, ci) => {
      for (let r = 0; r < t.h; r++) out.set(t.rgb.subarray(r * t.w * 3, (r + 1) * t.w * 3), ((ri * (th + gap) + r) * W + ci * (tw + gap)) * 3);
    }),
  );
  return encodePng(W, H, 3, out);
}
