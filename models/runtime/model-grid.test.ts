import { describe, expect, it } from 'vitest';
import { applyAffine } from '../../imaging/volume';
import { modelGrid, sameGrid } from './model-grid';
import { riskHighGrade } from './risk-high-grade';

describe('modelGrid', () => {
  it('maps a study already on a 2 mm RAS grid onto itself', () => {
    const study = { dims: [96, 112, 96] as const, affine: [2, 0, 0, -95, 0, 2, 0, -127, 0, 0, 2, -86, 0, 0, 0, 1] };
    const g = modelGrid(study, [2, 2, 2]);
    expect(sameGrid(g, study)).toBe(true);
  });

  it('covers a 1 mm LPS study with a 2 mm RAS grid of the same extent', () => {
    // LPS: x and y run towards patient left/posterior, i.e. negative RAS x and y.
    const study = { dims: [181, 217, 181] as const, affine: [-1, 0, 0, 90, 0, -1, 0, 90, 0, 0, 1, -72, 0, 0, 0, 1] };
    const g = modelGrid(study, [2, 2, 2]);
    expect(g.dims).toEqual([91, 109, 91]);
    expect(g.affine).toEqual([2, 0, 0, -90, 0, 2, 0, -126, 0, 0, 2, -72, 0, 0, 0, 1]);
    // The far corner voxel of the study lies inside the model grid's extent.
    const far = applyAffine(study.affine, [0, 0, 180]);
    expect(far[2]).toBeLessThanOrEqual(-72 + 2 * 90);
  });

  it('turns a sagittal (PIR) grid into RAS axes', () => {
    // Array axes: x → posterior, y → inferior, z → right.
    const study = { dims: [200, 180, 150] as const, affine: [0, 0, 1, -75, -1, 0, 0, 100, 0, -1, 0, 90, 0, 0, 0, 1] };
    const g = modelGrid(study, [2, 2, 2]);
    expect(g.dims).toEqual([75, 100, 90]);
  });
});

describe('riskHighGrade', () => {
  const model = {
    kind: 'logistic' as const,
    features: ['enhancingFraction', 'log2CoreMlPlus1Over10'] as ['enhancingFraction', 'log2CoreMlPlus1Over10'],
    intercept: -2,
    coefficients: [4, 1] as [number, number],
  };

  it('is the logistic of the card model at the documented example', () => {
    expect(riskHighGrade(model, { non_enhancing_tumor: 4.5, enhancing_tumor: 4.5 })).toBeCloseTo(0.5, 12);
  });

  it('treats a case without a core as enhancing fraction 0 and core 0 mL', () => {
    expect(riskHighGrade(model, { non_enhancing_tumor: 0, enhancing_tumor: 0 })).toBeCloseTo(1 / (1 + Math.exp(2 + Math.log2(10))), 12);
  });

  it('is null without a risk model in the card', () => {
    expect(riskHighGrade(undefined, { non_enhancing_tumor: 3, enhancing_tumor: 1 })).toBeNull();
  });
});
