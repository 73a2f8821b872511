/**
 * The fixed overlay colours of the three MSD labels, shared by the viewer, its legend and the
 * screenshot tests (which count overlay-coloured pixels). Saturated hues that no grey-scale MRI
 * pixel and not the (blue) crosshair can produce.
 */
export const LABEL_COLOURS = [
  { value: 1, key: 'edema', name: 'Edema', rgb: [40, 210, 60] },
  { value: 2, key: 'non_enhancing_tumor', name: 'Non-enhancing tumour', rgb: [235, 40, 40] },
  { value: 3, key: 'enhancing_tumor', name: 'Enhancing tumour', rgb: [255, 215, 0] },
] as const;

/** The same colours as a NiiVue label colour map (index 0 transparent). */
export const LABEL_COLORMAP = {
  R: [0, ...LABEL_COLOURS.map((l) => l.rgb[0])],
  G: [0, ...LABEL_COLOURS.map((l) => l.rgb[1])],
  B: [0, ...LABEL_COLOURS.map((l) => l.rgb[2])],
  A: [0, 255, 255, 255],
  I: [0, 1, 2, 3],
  labels: ['background', ...LABEL_COLOURS.map((l) => l.name)],
};

export const REGIONS = [
  { key: 'WT', name: 'Whole tumour (WT)', labels: '1 + 2 + 3' },
  { key: 'TC', name: 'Tumour core (TC)', labels: '2 + 3' },
  { key: 'ET', name: 'Enhancing tumour (ET)', labels: '3' },
] as const;
