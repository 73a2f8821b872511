import { describe, expect, it } from 'vitest';
import { maxDisplacementMm, misalignedStudy, rotationDifferenceDeg } from '../../test/support/ingest-builders';
import { gridCentre, identity4, multiply4, rigidTransform } from '../volume';
import { flipWorldTransform, itkImageAffine, itkTransformListToMatrix, volumeToItkImage } from './itk-image';
import { normalizedMutualInformation } from './nmi';
import { registerVolumes } from './register';

describe('itk-wasm conversions', () => {
  it('round-trips an oblique, mirrored affine through ITK LPS origin/spacing/direction', () => {
    const affine = multiply4(rigidTransform([0.3, -0.2, 0.5], [10, -20, 30]), [-0.9, 0, 0, 5, 0, 1.1, 0, 6, 0, 0, 2.5, 7, 0, 0, 0, 1]);
    const image = volumeToItkImage({ dims: [2, 3, 4], spacing: [0.9, 1.1, 2.5], affine, data: new Float32Array(24) });
    expect(image.spacing[2]).toBeCloseTo(2.5, 10);
    itkImageAffine(image).forEach((v, i) => expect(v).toBeCloseTo(affine[i]!, 10));
  });

  it('reads an elastix Euler3D transform (ZXY order, centred) as a 4×4 and flips LPS to RAS', () => {
    const [rx, ry, rz] = [0.1, -0.2, 0.3];
    const m = itkTransformListToMatrix([
      {
        transformType: { transformParameterization: 'Euler3D', parametersValueType: 'float64', inputDimension: 3, outputDimension: 3 },
        numberOfFixedParameters: 4,
        numberOfParameters: 6,
        name: '',
        inputSpaceName: '',
        outputSpaceName: '',
        fixedParameters: new Float64Array([1, 2, 3, 0]),
        parameters: new Float64Array([rx, ry, rz, 4, 5, 6]),
        metadata: new Map(),
      },
    ] as never);
    // Hand-computed: R = Rz·Rx·Ry, p' = R(p − c) + c + t; the centre maps to c + t.
    expect([m[3]! + m[0]! * 1 + m[1]! * 2 + m[2]! * 3, m[7]! + m[4]! * 1 + m[5]! * 2 + m[6]! * 3, m[11]! + m[8]! * 1 + m[9]! * 2 + m[10]! * 3].map((v) => +v.toFixed(9))).toEqual([5, 7, 9]);
    const sx = Math.sin(rx),
      cx = Math.cos(rx),
      sy = Math.sin(ry),
      cy = Math.cos(ry);
    expect(m[8]).toBeCloseTo(-cx * sy, 12); // third row of Rz·Rx·Ry is that of Rx·Ry: [−cx·sy, sx, cx·cy]
    expect(m[9]).toBeCloseTo(sx, 12);
    expect(m[10]).toBeCloseTo(cx * cy, 12);
    const flipped = flipWorldTransform(m);
    expect(flipped[3]).toBeCloseTo(-m[3]!, 12);
    expect(flipped[2]).toBeCloseTo(-m[2]!, 12);
    expect(flipWorldTransform(flipped)).toEqual(m);
  });
});

describe('normalized mutual information', () => {
  it('is 2 for an image with itself (no interpolation) and lower when shifted', async () => {
    const { volumes } = await misalignedStudy(4);
    const v = volumes.t1gd;
    expect(normalizedMutualInformation(v, v, identity4(), { stride: 1 })).toBeGreaterThan(1.99);
    const shifted = normalizedMutualInformation(v, v, rigidTransform([0, 0, 0], [6, 0, 0]), { stride: 1 });
    expect(shifted).toBeLessThan(1.6);
  });
});

// Several elastix runs: on a busy 2-core machine they can pass the default minute.
describe('rigid registration with elastix on Colin27 (2 mm), known motions', { timeout: 300_000 }, () => {
  it('recovers rotations up to 10° and translations up to 10 mm within 1 mm and 1°, NMI improves', async () => {
    const started = performance.now();
    const { volumes, truth } = await misalignedStudy(2);
    const centre = gridCentre(volumes.t1gd);
    const rows: string[] = [];
    for (const role of ['flair', 't1', 't2'] as const) {
      const r = await registerVolumes(volumes.t1gd, volumes[role]);
      const err = maxDisplacementMm(r.fixedToMovingWorld, truth[role], centre, 60); // corners of a 120 mm cube: the brain
      const rot = rotationDifferenceDeg(r.fixedToMovingWorld, truth[role]);
      rows.push(`${role}: max corner error ${err.toFixed(2)} mm, rotation error ${rot.toFixed(2)}°, NMI ${r.nmiBefore.toFixed(3)} → ${r.nmiAfter.toFixed(3)}, ${r.elapsedMs.toFixed(0)} ms`);
      expect(err, rows.at(-1)).toBeLessThan(1);
      expect(rot, rows.at(-1)).toBeLessThan(1);
      expect(r.nmiAfter).toBeGreaterThan(r.nmiBefore + 0.05);
      expect(r.problems).toEqual([]);
    }
    console.log(`registration accuracy (Colin27, 2 mm):\n  ${rows.join('\n  ')}\n  total ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('keeps the identity when elastix is implausible; a moved head on one grid then fails the NMI floor', async () => {
    const { volumes } = await misalignedStudy(4);
    const r = await registerVolumes(volumes.t1gd, volumes.t2, { maxRotationDeg: 1, maxTranslationMm: 2 });
    expect(r.source).toBe('identity');
    expect(r.fixedToMovingWorld).toEqual(identity4());
    expect(r.elastixRejected.join('; ')).toMatch(/rotation .* exceeds 1°; centre moves .* more than 2 mm/);
    expect(r.alreadyAligned).toBe(true); // same grid, but the head moved between the sequences
    expect(r.problems.join('; ')).toMatch(/NMI after registration .* share little structure/);
  });

  it('accepts series already on one grid with the identity, whatever elastix finds, and records it', async () => {
    const { volumes } = await misalignedStudy(2, undefined, { aligned: true });
    for (const role of ['flair', 't2'] as const) {
      const r = await registerVolumes(volumes.t1gd, volumes[role]);
      expect(r.alreadyAligned).toBe(true);
      expect(r.source).toBe('identity');
      expect(r.problems).toEqual([]);
      expect(r.nmiAfter).toBe(r.nmiBefore);
      expect(r.nmiAfter).toBeGreaterThan(1.2);
      expect(r.nmiElastix).toBeLessThanOrEqual(r.nmiBefore + 0.01);
    }
  });

  it('refuses a moving image that shares no structure with the fixed one', async () => {
    const { volumes } = await misalignedStudy(4, undefined, { aligned: true });
    const noise = { ...volumes.t2, data: Float32Array.from(volumes.t2.data, (_, i) => ((i * 2654435761) % 1000) / 10) };
    const r = await registerVolumes(volumes.t1gd, noise);
    expect(r.problems.join('; ')).toMatch(/share little structure/);
  });
});
