'use client';
import { useEffect, useRef, useState } from 'react';
import type { Niivue, NVImage } from '@niivue/niivue';
import { labelDisplay } from '@/imaging/labels/label-display';
import { LABEL_COLORMAP } from './label-colours';

export interface ComparisonPrior {
  readonly kind: 'baseline' | 'nadir';
  readonly visitCode: string;
}

const currentUrl = (caseId: string, kind: string) => `/api/review/cases/${caseId}/files/${kind}`;
const priorUrl = (caseId: string, visitCode: string, kind: string) => `/api/followup/cases/${caseId}/visits/${visitCode}/${kind}`;

/**
 * The current follow-up's T1gd beside a chosen prior's (baseline or nadir), axial. The server sends
 * the prior already resampled onto the current visit's grid through both visits' rigid
 * registrations to baseline (server/domain/followup/resample-prior-visit.ts), so both sides share
 * one grid: the same slice is the same anatomy even when the head lay differently in the scanner.
 * Slice, crosshair and pan are synchronised both ways (NiiVue broadcast), and one window/level
 * drives both. On the assisted arm only (`outlines`), each side shows its own AI label map as
 * outlines; the server refuses the label maps to control-arm readers anyway.
 */
export function ComparisonView({ caseId, visitCode, priors, outlines }: { caseId: string; visitCode: string; priors: readonly ComparisonPrior[]; outlines: boolean }) {
  const [prior, setPrior] = useState(priors[0]?.visitCode ?? '');
  const [windowWidth, setWindowWidth] = useState(100);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([null, null]);
  const backs = useRef<{ nv: Niivue; image: NVImage }[]>([]);

  useEffect(() => {
    if (!prior) return;
    let cancelled = false;
    setState('loading');
    (async () => {
      const { Niivue, NVImage } = await import('@niivue/niivue');
      const sides = [
        { image: priorUrl(caseId, prior, 't1gd'), labels: priorUrl(caseId, prior, 'ai-labels') },
        { image: currentUrl(caseId, 't1gd'), labels: currentUrl(caseId, 'ai-labels') },
      ];
      const built: { nv: Niivue; image: NVImage }[] = [];
      for (const [i, side] of sides.entries()) {
        const canvas = canvases.current[i];
        if (!canvas) return;
        const nv = new Niivue({ backColor: [0, 0, 0, 1], crosshairColor: [0.25, 0.6, 1, 1], isColorbar: false, dragAndDropEnabled: false, logLevel: 'error' });
        await nv.attachToCanvas(canvas);
        nv.setSliceType(nv.sliceTypeAxial);
        const image = await NVImage.loadFromUrl({ url: side.image, name: `t1gd-${i}.nii.gz` });
        if (cancelled) return;
        nv.addVolume(image);
        if (outlines) {
          const labels = await NVImage.loadFromUrl({ url: side.labels, name: `labels-${i}.nii.gz` });
          if (cancelled) return;
          labels.setColormapLabel(LABEL_COLORMAP);
          const [, nx = 0, ny = 0, nz = 0] = labels.hdr!.dims;
          labels.img = labelDisplay({ labels: Uint8Array.from(labels.img as ArrayLike<number>), dims: [nx, ny, nz], visible: [false, true, true, true], outline: true });
          labels.opacity = 0.9;
          nv.addVolume(labels);
        }
        built.push({ nv, image });
      }
      built[0]!.nv.broadcastTo(built[1]!.nv, { '2d': true, '3d': true });
      built[1]!.nv.broadcastTo(built[0]!.nv, { '2d': true, '3d': true });
      backs.current = built;
      setState('ready');
    })().catch((e: unknown) => {
      if (cancelled) return;
      setState('error');
      setError(e instanceof Error ? e.message : 'The comparison could not be loaded.');
    });
    return () => {
      cancelled = true;
    };
  }, [caseId, prior, outlines]);

  useEffect(() => {
    for (const { nv, image } of backs.current) {
      const lo = image.robust_min ?? image.global_min ?? 0;
      const hi = image.robust_max ?? image.global_max ?? 1;
      const centre = (lo + hi) / 2;
      const width = ((hi - lo) * windowWidth) / 100;
      image.cal_min = centre - width / 2;
      image.cal_max = centre + width / 2;
      nv.updateGLVolume();
    }
  }, [windowWidth, state]);

  if (priors.length === 0) return null;
  const priorLabel = priors.find((p) => p.visitCode === prior);
  return (
    <section className="panel" aria-label="Comparison with a prior scan" data-testid="comparison-view" data-state={state} style={{ padding: 12 }}>
      <h2 style={{ marginTop: 0 }}>Comparison</h2>
      <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', fontSize: 13, marginBottom: 8 }}>
        <label>
          Prior{' '}
          <select value={prior} onChange={(e) => setPrior(e.target.value)} data-testid="comparison-prior">
            {priors.map((p) => (
              <option key={p.kind} value={p.visitCode}>
                {p.kind === 'baseline' ? 'Baseline' : 'Nadir'} ({p.visitCode})
              </option>
            ))}
          </select>
        </label>
        <label>
          Window <input type="range" min={20} max={200} value={windowWidth} onChange={(e) => setWindowWidth(Number(e.target.value))} aria-label="Window width (both sides)" />
        </label>
        <span className="muted" data-testid="comparison-grid-note">
          Prior resampled onto the current scan&apos;s grid through the registration to baseline; slice and crosshair move together. {outlines ? 'AI outlines shown on both.' : ''}
        </span>
      </div>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
        <figure style={{ margin: 0 }}>
          <figcaption style={{ fontSize: 13 }}>
            {priorLabel?.kind === 'nadir' ? 'Nadir' : 'Baseline'} · {prior} (on the current grid)
          </figcaption>
          {/* NiiVue sizes the canvas to its parent: the parent's height bounds it. */}
          <div style={{ height: 360 }}>
            <canvas ref={(el) => void (canvases.current[0] = el)} data-testid="comparison-prior-canvas" style={{ width: '100%', height: '100%', background: '#000' }} />
          </div>
        </figure>
        <figure style={{ margin: 0 }}>
          <figcaption style={{ fontSize: 13 }}>Current · {visitCode}</figcaption>
          {/* NiiVue sizes the canvas to its parent: the parent's height bounds it. */}
          <div style={{ height: 360 }}>
            <canvas ref={(el) => void (canvases.current[1] = el)} data-testid="comparison-current-canvas" style={{ width: '100%', height: '100%', background: '#000' }} />
          </div>
        </figure>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
