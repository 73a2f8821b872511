import type { ModelCard } from '../registry/model-card';
import type { LabelVolumes } from './label-volumes';

/**
 * The model's risk output: P(high-grade tumour) from the segmented volumes, by the logistic model
 * in the model card (`riskModel`, fitted by models/training/risk.py on the training split):
 *
 *   core = non-enhancing + enhancing mL,  ef = enhancing / core (0 without a core)
 *   P = logistic(intercept + c0·ef + c1·log2((core + 1) / 10))
 *
 * Returns null when the card declares no risk model (e.g. a site's own segmentation-only model).
 *
 * @example riskHighGrade({ kind: "logistic", features: ["enhancingFraction", "log2CoreMlPlus1Over10"], intercept: -2, coefficients: [4, 1] }, { non_enhancing_tumor: 4.5, enhancing_tumor: 4.5 }) // logistic(-2 + 4·0.5 + log2(10/10)) = 0.5
 */
export function riskHighGrade(riskModel: RiskModel | undefined, volumes: Pick<LabelVolumes, 'non_enhancing_tumor' | 'enhancing_tumor'>): number | null {
  if (!riskModel) return null;
  const core = volumes.non_enhancing_tumor + volumes.enhancing_tumor;
  const ef = core > 0 ? volumes.enhancing_tumor / core : 0;
  const [c0, c1] = riskModel.coefficients;
  const eta = riskModel.intercept + c0 * ef + c1 * Math.log2((core + 1) / 10);
  return 1 / (1 + Math.exp(-eta));
}

export type RiskModel = NonNullable<ModelCard['riskModel']>;
