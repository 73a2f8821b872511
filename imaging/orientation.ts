/**
 * Orientation codes: for each array axis (x, y, z in the layout of volume.ts), the world direction
 * (RAS+) it points towards, as one letter: 'RAS' means the first axis runs to the Right, the second
 * to Anterior, the third to Superior (nibabel's aff2axcodes). 'LPS' is DICOM's patient system.
 */
import type { Mat4 } from './volume';

const letters = [
  ['R', 'L'],
  ['A', 'P'],
  ['S', 'I'],
] as const;

/** Orientation code of an affine; each axis takes its dominant world direction (ties: first). */
export function orientationCode(affine: Mat4): string {
  const used = new Set<number>();
  let code = '';
  for (let c = 0; c < 3; c++) {
    let best = -1;
    let bestAbs = -1;
    for (let r = 0; r < 3; r++) {
      const v = Math.abs(affine[r * 4 + c]!);
      if (!used.has(r) && v > bestAbs) {
        best = r;
        bestAbs = v;
      }
    }
    used.add(best);
    const sign = affine[best * 4 + c]! >= 0 ? 0 : 1;
    code += letters[best as 0 | 1 | 2][sign];
  }
  return code;
}

/** For a code like 'LPS' or 'PIR': per array axis, the world axis index (0 R/L, 1 A/P, 2 S/I) and sign (+1 towards R, A, S). */
export function parseOrientationCode(code: string): { axis: [number, number, number]; sign: [number, number, number] } {
  if (code.length !== 3) throw new RangeError(`orientation code '${code}' must have 3 letters`);
  const axis: number[] = [];
  const sign: number[] = [];
  for (const ch of code.toUpperCase()) {
    const a = letters.findIndex((pair) => pair.includes(ch as never));
    if (a < 0) throw new RangeError(`orientation code '${code}': '${ch}' is not one of R L A P S I`);
    axis.push(a);
    sign.push(letters[a as 0 | 1 | 2][0] === ch ? 1 : -1);
  }
  if (new Set(axis).size !== 3) throw new RangeError(`orientation code '${code}' names a world axis twice`);
  return { axis: axis as [number, number, number], sign: sign as [number, number, number] };
}
