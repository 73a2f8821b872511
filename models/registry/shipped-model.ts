import path from 'node:path';

/** The folder of the model SegTrial ships (model.onnx + model-card.json), relative to the project root. */
export const SHIPPED_MODEL_DIR = path.join('models', 'segtrial-unet3d');
