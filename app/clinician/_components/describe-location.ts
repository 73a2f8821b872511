interface NiivueLocation {
  readonly mm?: ArrayLike<number>;
  readonly vox?: ArrayLike<number>;
  readonly values?: readonly { readonly name?: string; readonly value?: number }[];
}

/**
 * The viewer's status line from NiiVue's location data, built here rather than taken from NiiVue's
 * own `string`: that one prints `undefined(2)` for a drawing layer (a volume without a name), as
 * after an edit. Volumes without a name or a finite value are left out.
 */
export function describeLocation(data: unknown): string {
  const d = (data ?? {}) as NiivueLocation;
  const parts: string[] = [];
  if (d.vox && d.vox.length >= 3)
    parts.push(
      `voxel ${Array.from(d.vox)
        .slice(0, 3)
        .map((v) => Math.round(v))
        .join(', ')}`,
    );
  if (d.mm && d.mm.length >= 3)
    parts.push(
      `${Array.from(d.mm)
        .slice(0, 3)
        .map((v) => v.toFixed(1))
        .join(', ')} mm`,
    );
  for (const v of d.values ?? []) {
    if (!v.name || typeof v.value !== 'number' || !Number.isFinite(v.value)) continue;
    const name = v.name.replace(/^.*\//, '').replace(/\?.*$/, '');
    parts.push(`${name} ${Number.isInteger(v.value) ? v.value : v.value.toFixed(1)}`);
  }
  return parts.join(' · ');
}
