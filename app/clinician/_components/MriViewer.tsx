'use client';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Niivue, NVImage } from '@niivue/niivue';
import { labelDisplay } from '@/imaging/labels/label-display';
import { lesionFocus } from '@/imaging/labels/lesion-focus';
import { LABEL_COLORMAP, LABEL_COLOURS } from './label-colours';
import styles from './viewer.module.css';
import { describeLocation } from './describe-location';

type Role = 'flair' | 't1' | 't1gd' | 't2';
const ROLE_NAMES: Record<Role, string> = { flair: 'FLAIR', t1: 'T1', t1gd: 'T1gd', t2: 'T2' };
const ROLES: readonly Role[] = ['flair', 't1', 't1gd', 't2'];

type View = 'axial' | 'coronal' | 'sagittal' | 'multiplanar';
const VIEWS: readonly { key: View; name: string; shortcut: string }[] = [
  { key: 'axial', name: 'Axial', shortcut: 'a' },
  { key: 'coronal', name: 'Coronal', shortcut: 'c' },
  { key: 'sagittal', name: 'Sagittal', shortcut: 's' },
  { key: 'multiplanar', name: 'Multiplanar', shortcut: 'm' },
];

/** Window/level presets relative to each volume's robust (2–98 %) intensity range. */
const WL_PRESETS = [
  { key: 'auto', name: 'Auto (2–98 %)', level: 50, window: 100 },
  { key: 'contrast', name: 'High contrast', level: 50, window: 55 },
  { key: 'soft', name: 'Soft', level: 50, window: 150 },
  { key: 'bright', name: 'Bright lesions', level: 70, window: 60 },
  { key: 'dark', name: 'Dark lesions', level: 30, window: 60 },
] as const;

/** Timings read by the tests and bench/viewer: ms since navigation start (performance.now()). */
declare global {
  interface Window {
    __segtrialViewer?: { firstSliceMs?: number; overlayMs?: number };
  }
}

interface Pane {
  readonly nv: Niivue;
  readonly role: Role;
  readonly sequences: Map<Role, NVImage>;
  labels: NVImage | null;
}

export interface MriViewerProps {
  readonly caseId: string;
  readonly sequences: readonly string[];
  /** Assisted arm with an AI result: load the label map as an overlay. Never true on the control arm. */
  readonly overlay: boolean;
  /** Which label map the overlay shows: the AI's or the reviewer's saved edit. */
  readonly overlaySource: 'ai-labels' | 'edited-labels';
  /** Edit mode: brush and eraser on the label map, undo; `onSaveEdit` receives the NIfTI bytes. */
  readonly editing: boolean;
  readonly onSaveEdit?: (bytes: Uint8Array) => Promise<void>;
  readonly onCancelEdit?: () => void;
}

const fileUrl = (caseId: string, kind: string) => `/api/review/cases/${caseId}/files/${kind}`;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/**
 * The case viewer (NiiVue on WebGL2): the four registered sequences one at a time or side by side
 * (2×2, crosshair synchronized), axial/coronal/sagittal/multiplanar, window/level with presets,
 * slice scrolling (wheel, arrow keys) and keyboard shortcuts; on the assisted arm the AI label map as
 * an overlay with fixed colours and legend, opacity, outline or fill, per-label toggles, jump to the
 * lesion, and an editor (brush, eraser, undo) whose result is saved as a new version.
 */
export function MriViewer({ caseId, sequences, overlay, overlaySource, editing, onSaveEdit, onCancelEdit }: MriViewerProps) {
  const available = ROLES.filter((r) => sequences.includes(r));
  const [layout, setLayout] = useState<'single' | 'quad'>('single');
  const [role, setRole] = useState<Role>(available.includes('t1gd') ? 't1gd' : (available[0] ?? 't1gd'));
  const [view, setView] = useState<View>('multiplanar');
  const [level, setLevel] = useState(50);
  const [windowWidth, setWindowWidth] = useState(100);
  const [opacity, setOpacity] = useState(0.6);
  const [outline, setOutline] = useState(false);
  const [visible, setVisible] = useState([false, true, true, true]);
  const [overlayOn, setOverlayOn] = useState(true);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [overlayState, setOverlayState] = useState<'none' | 'loading' | 'shown' | 'hidden'>(overlay ? 'loading' : 'none');
  const [location, setLocation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pen, setPen] = useState<number>(3);
  const [penSize, setPenSize] = useState(3);
  const [saving, setSaving] = useState(false);
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const panes = useRef<Pane[]>([]);
  const originalLabels = useRef<Uint8Array | null>(null);
  const effectiveLayout = editing ? 'single' : layout;

  const sliceType = useCallback((nv: Niivue, v: View) => ({ axial: nv.sliceTypeAxial, coronal: nv.sliceTypeCoronal, sagittal: nv.sliceTypeSagittal, multiplanar: nv.sliceTypeMultiplanar })[v], []);

  const applyWindow = useCallback(() => {
    for (const pane of panes.current) {
      const back = pane.sequences.get(pane.role);
      if (!back) continue;
      const lo = back.robust_min ?? back.global_min ?? 0;
      const hi = back.robust_max ?? back.global_max ?? 1;
      const width = ((hi - lo) * windowWidth) / 100;
      const centre = lo + ((hi - lo) * level) / 100;
      back.cal_min = centre - width / 2;
      back.cal_max = centre + width / 2;
      pane.nv.updateGLVolume();
    }
  }, [level, windowWidth]);

  const applyOverlay = useCallback(() => {
    const original = originalLabels.current;
    for (const pane of panes.current) {
      const labels = pane.labels;
      if (!labels || !original || !labels.hdr) continue;
      const [, nx = 0, ny = 0, nz = 0] = labels.hdr.dims;
      labels.img = labelDisplay({ labels: original, dims: [nx, ny, nz], visible, outline });
      labels.opacity = overlayOn && !editing ? (outline ? Math.max(opacity, 0.9) : opacity) : 0;
      pane.nv.updateGLVolume();
    }
    if (overlay && originalLabels.current) setOverlayState(overlayOn && !editing ? 'shown' : 'hidden');
  }, [visible, outline, opacity, overlayOn, editing, overlay]);

  // Build the panes: one NiiVue instance per canvas, background first (first rendered slice), then the overlay.
  useEffect(() => {
    let cancelled = false;
    const count = effectiveLayout === 'quad' ? Math.min(4, available.length) : 1;
    setState('loading');
    (async () => {
      const { Niivue, NVImage } = await import('@niivue/niivue');
      const built: Pane[] = [];
      // The label maps download (and decompress) while the background volumes load and render.
      const pendingLabels = overlay ? Array.from({ length: count }, () => NVImage.loadFromUrl({ url: fileUrl(caseId, overlaySource), name: `${overlaySource}.nii.gz` })) : [];
      for (const p of pendingLabels) p.catch(() => {});
      for (let i = 0; i < count; i++) {
        const canvas = canvases.current[i];
        if (!canvas) continue;
        const nv = new Niivue({
          backColor: [0, 0, 0, 1],
          crosshairColor: [0.25, 0.6, 1, 1],
          show3Dcrosshair: true,
          isColorbar: false,
          dragAndDropEnabled: false,
          multiplanarShowRender: 0,
          penSize,
          logLevel: 'error',
        });
        await nv.attachToCanvas(canvas);
        nv.setSliceType(sliceType(nv, view));
        nv.onLocationChange = (data: unknown) => setLocation(describeLocation(data));
        const paneRole = count === 1 ? role : available[i]!;
        const image = await NVImage.loadFromUrl({ url: fileUrl(caseId, paneRole), name: `${paneRole}.nii.gz` });
        if (cancelled) return;
        nv.addVolume(image);
        built.push({ nv, role: paneRole, sequences: new Map([[paneRole, image]]), labels: null });
      }
      panes.current = built;
      for (const pane of built)
        pane.nv.syncWith(
          built.filter((p) => p !== pane).map((p) => p.nv),
          { '2d': true, '3d': true },
        );
      applyWindow();
      await nextFrame();
      if (cancelled) return;
      window.__segtrialViewer = { ...window.__segtrialViewer, firstSliceMs: window.__segtrialViewer?.firstSliceMs ?? performance.now() };
      setState('ready');
      if (!overlay) return;
      for (const [i, pane] of built.entries()) {
        const labels = await pendingLabels[i]!;
        if (cancelled) return;
        labels.setColormapLabel(LABEL_COLORMAP);
        originalLabels.current = Uint8Array.from(labels.img as ArrayLike<number>);
        const [, nx = 0, ny = 0, nz = 0] = labels.hdr!.dims;
        // Display data and opacity set before adding, so adding is the only texture upload.
        labels.img = labelDisplay({ labels: originalLabels.current, dims: [nx, ny, nz], visible, outline });
        labels.opacity = overlayOn && !editing ? opacity : 0;
        pane.labels = labels;
        pane.nv.addVolume(labels);
      }
      setOverlayState(overlayOn && !editing ? 'shown' : 'hidden');
      jumpToLesion();
      await nextFrame();
      if (cancelled) return;
      window.__segtrialViewer = { ...window.__segtrialViewer, overlayMs: window.__segtrialViewer?.overlayMs ?? performance.now() };
    })().catch((e: unknown) => {
      if (cancelled) return;
      setState('error');
      setError(e instanceof Error ? e.message : 'The viewer could not load this case.');
    });
    return () => {
      cancelled = true;
    };
    // Rebuilt only when the layout or the overlay source changes; other settings are applied live.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the viewer is rebuilt only for these; the rest is applied live by the effects below
  }, [caseId, effectiveLayout, overlay, overlaySource]);

  useEffect(() => applyWindow(), [applyWindow]);
  useEffect(() => applyOverlay(), [applyOverlay]);
  useEffect(() => {
    for (const pane of panes.current) pane.nv.setSliceType(sliceType(pane.nv, view));
  }, [view, sliceType]);

  // Switching the sequence of the single pane keeps the crosshair, the overlay and the window.
  useEffect(() => {
    const pane = panes.current[0];
    if (!pane || effectiveLayout !== 'single' || pane.role === role) return;
    let cancelled = false;
    (async () => {
      const { NVImage } = await import('@niivue/niivue');
      let image = pane.sequences.get(role);
      if (!image) {
        image = await NVImage.loadFromUrl({ url: fileUrl(caseId, role), name: `${role}.nii.gz` });
        if (cancelled) return;
        pane.sequences.set(role, image);
        pane.nv.addVolume(image);
      }
      for (const [r, img] of pane.sequences) img.opacity = r === role ? 1 : 0;
      pane.nv.setVolume(image, 0);
      if (pane.labels) pane.nv.setVolume(pane.labels, pane.nv.volumes.length - 1);
      panes.current[0] = { ...pane, role };
      applyWindow();
    })().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [role, caseId, effectiveLayout, applyWindow]);

  // Edit mode: the label map goes into NiiVue's drawing layer (same colours), the overlay is hidden.
  useEffect(() => {
    const pane = panes.current[0];
    if (!pane || !pane.labels || !originalLabels.current) return;
    const nv = pane.nv;
    if (editing) {
      void (async () => {
        const { cmapper } = await import('@niivue/niivue');
        const labels = pane.labels!;
        labels.img = Uint8Array.from(originalLabels.current!);
        nv.loadDrawing(labels);
        nv.drawLut = cmapper.makeDrawLut(LABEL_COLORMAP);
        nv.setDrawOpacity(0.65);
        nv.setDrawingEnabled(true);
        nv.setPenValue(3, false);
        applyOverlay();
      })();
    } else {
      nv.setDrawingEnabled(false);
      nv.closeDrawing();
      applyOverlay();
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- applyOverlay reads the current settings; re-running on its identity would redraw on every render
  }, [editing, state]);

  useEffect(() => {
    const nv = panes.current[0]?.nv;
    if (!nv || !editing) return;
    nv.setPenValue(pen, false);
    nv.opts.penSize = penSize;
  }, [pen, penSize, editing]);

  function jumpToLesion() {
    const pane = panes.current[0];
    const original = originalLabels.current;
    if (!pane?.labels?.hdr || !original) return;
    const [, nx = 0, ny = 0, nz = 0] = pane.labels.hdr.dims;
    const focus = lesionFocus({ labels: original, dims: [nx, ny, nz] });
    if (!focus) return;
    // The NIfTI affine maps file-order voxel indices to the world mm NiiVue navigates in.
    const affine = pane.labels.hdr.affine;
    const mm = [0, 1, 2].map((r) => affine[r]![0]! * focus[0] + affine[r]![1]! * focus[1] + affine[r]![2]! * focus[2] + affine[r]![3]!) as [number, number, number];
    for (const p of panes.current) {
      p.nv.scene.crosshairPos = p.nv.mm2frac(mm);
      p.nv.drawScene();
      p.nv.createOnLocationChange();
    }
  }

  const scroll = useCallback(
    (delta: number) => {
      for (const p of panes.current.slice(0, 1)) {
        const axis = view === 'sagittal' ? [delta, 0, 0] : view === 'coronal' ? [0, delta, 0] : [0, 0, delta];
        p.nv.moveCrosshairInVox(axis[0]!, axis[1]!, axis[2]!);
      }
    },
    [view],
  );

  const saveEdit = useCallback(async () => {
    const nv = panes.current[0]?.nv;
    if (!nv || !onSaveEdit) return;
    setSaving(true);
    try {
      const bytes = await nv.saveImage({ filename: '', isSaveDrawing: true, volumeByIndex: 0 });
      if (!(bytes instanceof Uint8Array)) throw new Error('No drawing to save.');
      await onSaveEdit(bytes);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  }, [onSaveEdit]);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if ((e.target as HTMLElement).closest('input, select, textarea, button')) return;
    const key = e.key;
    if ((e.ctrlKey || e.metaKey) && key.toLowerCase() === 'z' && editing) return void (e.preventDefault(), panes.current[0]?.nv.drawUndo());
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const v = VIEWS.find((x) => x.shortcut === key);
    if (v) return void (e.preventDefault(), setView(v.key));
    if (key >= '1' && key <= '4') {
      const r = available[Number(key) - 1];
      if (r) {
        setRole(r);
        setLayout('single');
      }
      return void e.preventDefault();
    }
    if (key === 'ArrowUp' || key === 'PageUp') return void (e.preventDefault(), scroll(1));
    if (key === 'ArrowDown' || key === 'PageDown') return void (e.preventDefault(), scroll(-1));
    if (key === 'g' && !editing) return void setLayout((l) => (l === 'single' ? 'quad' : 'single'));
    if (key === 'p') {
      const i = WL_PRESETS.findIndex((p) => p.level === level && p.window === windowWidth);
      const next = WL_PRESETS[(i + 1) % WL_PRESETS.length]!;
      setLevel(next.level);
      setWindowWidth(next.window);
      return;
    }
    if (!overlay) return;
    if (key === 'o') return void setOverlayOn((on) => !on);
    if (key === 'f') return void setOutline((o) => !o);
    if (key === 'j') return void jumpToLesion();
    if (editing && key === 'b') return void setPen((p) => (p === 0 ? 3 : p));
    if (editing && key === 'x') return void setPen(0);
  }

  const panesToRender = effectiveLayout === 'quad' ? available.slice(0, 4) : [role];
  return (
    <div
      className={styles.viewer}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label="MRI viewer"
      data-testid="viewer"
      data-viewer-state={state}
      data-overlay={overlayState}
      data-layout={effectiveLayout}
      data-view={view}
    >
      <div className={styles.toolbar} role="toolbar" aria-label="Viewer controls">
        <div className={styles.group}>
          <span>Sequence</span>
          {available.map((r, i) => (
            <button key={r} type="button" aria-pressed={effectiveLayout === 'single' && role === r} onClick={() => (setRole(r), setLayout('single'))} title={`${ROLE_NAMES[r]} (${i + 1})`}>
              {ROLE_NAMES[r]}
            </button>
          ))}
          <button
            type="button"
            aria-pressed={effectiveLayout === 'quad'}
            disabled={editing}
            onClick={() => setLayout(effectiveLayout === 'quad' ? 'single' : 'quad')}
            title="All four side by side (g)"
          >
            2×2
          </button>
        </div>
        <div className={styles.group}>
          <span>View</span>
          {VIEWS.map((v) => (
            <button key={v.key} type="button" aria-pressed={view === v.key} onClick={() => setView(v.key)} title={`${v.name} (${v.shortcut})`}>
              {v.name}
            </button>
          ))}
        </div>
        <div className={styles.group}>
          <label htmlFor="wl-preset" style={{ margin: 0, color: 'var(--muted)' }}>
            Window
          </label>
          <select
            id="wl-preset"
            value={WL_PRESETS.find((p) => p.level === level && p.window === windowWidth)?.key ?? 'custom'}
            onChange={(e) => {
              const p = WL_PRESETS.find((x) => x.key === e.target.value);
              if (p) {
                setLevel(p.level);
                setWindowWidth(p.window);
              }
            }}
          >
            {WL_PRESETS.map((p) => (
              <option key={p.key} value={p.key}>
                {p.name}
              </option>
            ))}
            <option value="custom" disabled>
              Custom
            </option>
          </select>
          <span>L</span>
          <input type="range" aria-label="Level" min={0} max={100} value={level} onChange={(e) => setLevel(Number(e.target.value))} />
          <span>W</span>
          <input type="range" aria-label="Window width" min={10} max={200} value={windowWidth} onChange={(e) => setWindowWidth(Number(e.target.value))} />
        </div>
      </div>

      {overlay && (
        <div className={styles.tools} aria-label="AI overlay">
          <div className={styles.legend} role="group" aria-label="Labels">
            {LABEL_COLOURS.map((l) => (
              <label key={l.value}>
                <input type="checkbox" checked={visible[l.value]} onChange={(e) => setVisible((v) => v.map((x, i) => (i === l.value ? e.target.checked : x)))} />
                <span className={styles.swatch} style={{ background: `rgb(${l.rgb.join(',')})` }} aria-hidden="true" />
                {l.name}
              </label>
            ))}
          </div>
          <label style={{ margin: 0 }}>
            <input type="checkbox" checked={overlayOn} onChange={(e) => setOverlayOn(e.target.checked)} style={{ width: 'auto', margin: '0 4px 0 0' }} />
            Overlay
          </label>
          <label style={{ margin: 0, display: 'flex', alignItems: 'center', gap: 6 }}>
            Opacity
            <input type="range" aria-label="Overlay opacity" min={0} max={100} value={Math.round(opacity * 100)} onChange={(e) => setOpacity(Number(e.target.value) / 100)} />
          </label>
          <div className={styles.group}>
            <button type="button" aria-pressed={!outline} onClick={() => setOutline(false)}>
              Fill
            </button>
            <button type="button" aria-pressed={outline} onClick={() => setOutline(true)} title="Outline (f)">
              Outline
            </button>
          </div>
          <button type="button" onClick={jumpToLesion} title="Jump to the lesion (j)">
            Jump to lesion
          </button>
        </div>
      )}

      {editing && (
        <div className={styles.tools} aria-label="Label editor">
          <div className={styles.group}>
            <span>Brush</span>
            {LABEL_COLOURS.map((l) => (
              <button key={l.value} type="button" aria-pressed={pen === l.value} onClick={() => setPen(l.value)}>
                <span className={styles.swatch} style={{ background: `rgb(${l.rgb.join(',')})` }} aria-hidden="true" /> {l.name}
              </button>
            ))}
            <button type="button" aria-pressed={pen === 0} onClick={() => setPen(0)} title="Eraser (x)">
              Eraser
            </button>
          </div>
          <label style={{ margin: 0, display: 'flex', alignItems: 'center', gap: 6 }}>
            Size
            <input type="range" aria-label="Brush size" min={1} max={15} value={penSize} onChange={(e) => setPenSize(Number(e.target.value))} />
          </label>
          <button type="button" onClick={() => panes.current[0]?.nv.drawUndo()} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={() => void saveEdit()} disabled={saving} style={{ background: 'var(--accent)', color: '#fff' }}>
            {saving ? 'Saving…' : 'Save edit'}
          </button>
          <button type="button" onClick={onCancelEdit}>
            Cancel
          </button>
        </div>
      )}

      <div className={`${styles.stage} ${effectiveLayout === 'quad' ? styles.quad : styles.single}`}>
        {panesToRender.map((r, i) => (
          <div className={styles.pane} key={`${effectiveLayout}-${i}`}>
            <canvas ref={(el) => void (canvases.current[i] = el)} data-testid={`viewer-canvas-${i}`} />
            <span className={styles.paneLabel}>{ROLE_NAMES[r] ?? r}</span>
          </div>
        ))}
      </div>
      <div className={styles.status} aria-live="polite">
        {state === 'loading' ? 'Loading volumes…' : state === 'error' ? <span className="error">{error}</span> : location}
        {error && state !== 'error' ? <span className="error"> {error}</span> : null}
      </div>
      <p className={styles.keys}>
        Keys: <kbd>1</kbd>–<kbd>4</kbd> sequence, <kbd>g</kbd> 2×2, <kbd>a</kbd>/<kbd>c</kbd>/<kbd>s</kbd>/<kbd>m</kbd> view, <kbd>↑</kbd>/<kbd>↓</kbd> slice, <kbd>p</kbd> window preset
        {overlay ? (
          <>
            , <kbd>o</kbd> overlay, <kbd>f</kbd> outline/fill, <kbd>j</kbd> jump to lesion
          </>
        ) : null}
        {editing ? (
          <>
            , <kbd>b</kbd> brush, <kbd>x</kbd> eraser, <kbd>Ctrl</kbd>+<kbd>Z</kbd> undo
          </>
        ) : null}
        . Right-drag: window/level; wheel: scroll slices.
      </p>
    </div>
  );
}
