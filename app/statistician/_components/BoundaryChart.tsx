'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { drawChartAxes } from './draw-chart-axes';

const FRAME = { width: 560, height: 320, margin: { top: 16, right: 18, bottom: 46, left: 58 } } as const;
const { width: W, height: H } = FRAME;

/**
 * Group-sequential efficacy boundaries (z) against the information fraction, one point per planned
 * look joined by a line, and the current look's z statistic at its observed fraction (with the
 * boundary recomputed there), as rpact's plot(design, type = 1).
 */
export function BoundaryChart({
  title,
  looks,
  current,
  futility = [],
}: {
  title: string;
  looks: readonly { fraction: number; z: number }[];
  current: { fraction: number; z: number; boundary: number } | null;
  /** Non-binding futility bounds (dashed), when the plan has them. */
  futility?: readonly { fraction: number; z: number }[];
}) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = d3.select(ref.current);
    const finite = looks.map((l) => l.z).filter(Number.isFinite);
    const top = Math.max(4, ...finite, current ? current.z + 0.5 : 0);
    const bottom = Math.min(-1, current ? current.z - 0.5 : 0, ...futility.map((f) => f.z - 0.5));
    const { x, y } = drawChartAxes(svg, FRAME, {
      x: { domain: [0, 1], ticks: 5, title: 'Information fraction (events / maximum events)' },
      y: { domain: [bottom, top], ticks: 6, title: 'z statistic' },
    });
    const pts = looks.filter((l) => Number.isFinite(l.z));
    svg
      .append('path')
      .attr('class', 'boundary')
      .attr(
        'd',
        d3
          .line<{ fraction: number; z: number }>()
          .x((p) => x(p.fraction))
          .y((p) => y(p.z))(pts),
      )
      .attr('fill', 'none')
      .attr('stroke', '#b91c1c')
      .attr('stroke-width', 2);
    svg
      .append('g')
      .selectAll('circle')
      .data(pts)
      .join('circle')
      .attr('class', 'boundary-look')
      .attr('cx', (p) => x(p.fraction))
      .attr('cy', (p) => y(p.z))
      .attr('r', 4)
      .attr('fill', '#b91c1c');
    svg
      .append('text')
      .attr('x', x(pts[0]?.fraction ?? 0) + 8)
      .attr('y', y(pts[0]?.z ?? 0) - 6)
      .attr('font-size', 12)
      .attr('fill', '#b91c1c')
      .text('efficacy boundary');
    if (futility.length > 0) {
      svg
        .append('path')
        .attr('class', 'futility')
        .attr(
          'd',
          d3
            .line<{ fraction: number; z: number }>()
            .x((p) => x(p.fraction))
            .y((p) => y(p.z))(futility),
        )
        .attr('fill', 'none')
        .attr('stroke', '#047857')
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', '6,4');
      svg
        .append('g')
        .selectAll('rect')
        .data(futility)
        .join('rect')
        .attr('class', 'futility-look')
        .attr('x', (p) => x(p.fraction) - 4)
        .attr('y', (p) => y(p.z) - 4)
        .attr('width', 8)
        .attr('height', 8)
        .attr('fill', '#047857');
      svg
        .append('text')
        .attr('x', x(futility[0]?.fraction ?? 0) + 8)
        .attr('y', y(futility[0]?.z ?? 0) + 16)
        .attr('font-size', 12)
        .attr('fill', '#047857')
        .text('futility (non-binding)');
    }
    if (current) {
      svg.append('circle').attr('class', 'observed-z').attr('cx', x(current.fraction)).attr('cy', y(current.z)).attr('r', 6).attr('fill', '#1f5fa8');
      svg
        .append('line')
        .attr('x1', x(current.fraction) - 8)
        .attr('x2', x(current.fraction) + 8)
        .attr('y1', y(current.boundary))
        .attr('y2', y(current.boundary))
        .attr('stroke', '#b91c1c')
        .attr('stroke-width', 2);
      svg
        .append('text')
        .attr('x', x(current.fraction) + 10)
        .attr('y', y(current.z) + 4)
        .attr('font-size', 12)
        .attr('fill', '#1f5fa8')
        .text(`observed z = ${current.z.toFixed(2)}`);
    }
  }, [looks, current, futility]);
  return (
    <figure className="chart" data-chart="interim-boundaries">
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title} />
      <figcaption>{title}</figcaption>
    </figure>
  );
}
