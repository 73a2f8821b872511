import { z } from 'zod';

/**
 * The machine-readable part of a model card that the platform relies on. A model is registered only
 * when its card parses and its declarations match the ONNX graph (see verify-model.ts). Extra
 * fields (metrics, training data, limits) are kept as they are.
 */
export const modelCardSchema = z.looseObject({
  name: z.string().min(1).max(100),
  version: z.string().min(1).max(50),
  input: z.looseObject({
    name: z.string().min(1),
    /**
     * Channel order the network expects, a permutation of the four sequences (the shipped model:
     * flair, t1, t1gd, t2; other exports may differ); the runtime feeds the sequences in this order.
     */
    channels: z
      .array(z.enum(['flair', 't1', 't1gd', 't2']))
      .length(4)
      .refine((c) => new Set(c).size === 4, 'each of flair, t1, t1gd, t2 exactly once'),
    /** N×C×Z×Y×X with X the fastest axis of the stored volume. */
    axisOrder: z.literal('NCZYX'),
    spacingMm: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
  }),
  output: z.looseObject({
    name: z.string().min(1),
    form: z.enum(['softmax', 'sigmoid-regions']),
    /** For sigmoid-regions: the order of the region channels, e.g. ['TC', 'WT', 'ET']. */
    regionOrder: z
      .array(z.enum(['WT', 'TC', 'ET']))
      .length(3)
      .optional(),
    /** For softmax: output channel → label (0 background, 1 edema, 2 non-enhancing, 3 enhancing). */
    labels: z.record(z.string(), z.string()).optional(),
  }),
  inference: z.looseObject({
    /** Patch size in voxels [x, y, z]. */
    patch: z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]),
    step: z.number().gt(0).max(1).default(0.5),
    /**
     * 'sliding-window': `patch` tiles `step` apart, Gaussian-blended; 'whole-box': one pass over the
     * brain's bounding box (padded to a multiple of 8), `patch` and `step` unused (models/runtime/segment-volume.ts).
     */
    tiling: z.enum(['sliding-window', 'whole-box']).default('sliding-window'),
    /** After argmax: keep only the largest connected tumour component (models/runtime/largest-component.ts). */
    postprocess: z.enum(['none', 'largest-component']).default('none'),
  }),
  /**
   * Optional: P(high grade) from the segmented volumes (see models/runtime/risk-high-grade.ts).
   * Features, in order: enhancing fraction of the core, log2((core mL + 1) / 10).
   */
  riskModel: z
    .looseObject({
      kind: z.literal('logistic'),
      features: z.tuple([z.literal('enhancingFraction'), z.literal('log2CoreMlPlus1Over10')]),
      intercept: z.number(),
      coefficients: z.tuple([z.number(), z.number()]),
    })
    .optional(),
  /** SHA-256 (hex) of the ONNX file. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type ModelCard = z.infer<typeof modelCardSchema>;
