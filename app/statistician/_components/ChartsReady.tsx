'use client';
import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Root of a printable report: sets data-charts-ready once every chart inside has drawn (React runs
 * the children's effects, where the d3 charts draw, before this one), so the PDF renderer knows when to print.
 */
export function ChartsReady({ snapshot, children }: { snapshot: { sha256: string; builtAt: string }; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.setAttribute('data-charts-ready', 'true');
  }, []);
  return (
    <div ref={ref} data-report-root data-snapshot={snapshot.sha256} data-snapshot-time={snapshot.builtAt} data-charts-ready="false">
      {children}
    </div>
  );
}
