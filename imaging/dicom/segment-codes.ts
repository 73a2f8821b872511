/**
 * The coded meaning of each label of SegTrial's label maps (MSD Task01 labels: 1 edema,
 * 2 non-enhancing tumour, 3 enhancing tumour), from DICOM CID 7169 "Brain Lesion Segmentation Type"
 * (PS3.16), under the category "Morphologically Abnormal Structure" (CID 7150), with the display
 * colours the viewer uses. One table for the SEG writer, the SR writer and the docs.
 */
export interface Code {
  readonly value: string;
  readonly scheme: string;
  readonly meaning: string;
}

export interface LabelSegment {
  readonly label: number;
  readonly segmentLabel: string;
  readonly region: string;
  readonly category: Code;
  readonly type: Code;
  /** Recommended display colour as RGB 0–255 (converted to CIELab in the SEG). */
  readonly rgb: readonly [number, number, number];
}

const abnormal: Code = { value: '49755003', scheme: 'SCT', meaning: 'Morphologically Abnormal Structure' };

export const labelSegments: readonly LabelSegment[] = [
  { label: 1, segmentLabel: 'Edema', region: 'peritumoral edema', category: abnormal, type: { value: '79654002', scheme: 'SCT', meaning: 'Edema' }, rgb: [0, 200, 80] },
  {
    label: 2,
    segmentLabel: 'Non-enhancing tumour core',
    region: 'non-enhancing tumour core',
    category: abnormal,
    type: { value: 'C81175', scheme: 'NCIt', meaning: 'Non-Enhancing Lesion' },
    rgb: [230, 200, 0],
  },
  { label: 3, segmentLabel: 'Enhancing tumour', region: 'enhancing tumour', category: abnormal, type: { value: 'C113842', scheme: 'NCIt', meaning: 'Enhancing Lesion' }, rgb: [220, 30, 30] },
];

/** A code as a DICOM Code Sequence item. */
export function codeItem(code: Code): Record<string, string> {
  return { CodeValue: code.value, CodingSchemeDesignator: code.scheme, CodeMeaning: code.meaning };
}

/** sRGB (0–255) → DICOM CIELab (PS3.3 C.10.7.1.1: L* 0–100 → 0–65535, a-star and b-star −128–127 → 0–65535), D65. */
export function rgbToDicomLab(rgb: readonly [number, number, number]): [number, number, number] {
  const lin = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  const [r, g, b] = lin as [number, number, number];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const L = 116 * f(y) - 16;
  const A = 500 * (f(x) - f(y));
  const B = 200 * (f(y) - f(z));
  const clamp = (v: number) => Math.max(0, Math.min(65535, Math.round(v)));
  return [clamp((L / 100) * 65535), clamp(((A + 128) / 255) * 65535), clamp(((B + 128) / 255) * 65535)];
}
