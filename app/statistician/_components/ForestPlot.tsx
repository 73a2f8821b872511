'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';

export interface ForestRow {
  /** Group heading (covariate) rows have no estimate. */
  readonly label: string;
  readonly heading?: boolean;
  readonly estimate?: number;
  readonly lower?: number;
  readonly upper?: number;
  readonly detail?: string;
  readonly flag?: string;
  /** Below the stated minimum n: drawn grey, point only, no interval (not to be interpreted). */
  readonly muted?: boolean;
}

const W = 880;
const ROW = 22;
const M = { top: 28, right: 230, bottom: 44, left: 200 };

/** Forest plot: one interval per subgroup level, a line at no difference, per-row counts and flags on the right. */
export function ForestPlot({ title, rows, xLabel }: { title: string; rows: readonly ForestRow[]; xLabel: string }) {
  const ref = useRef<SVGSVGElement>(null);
  const height = M.top + M.bottom + Math.max(1, rows.length) * ROW;
  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const values = rows.flatMap((r) => [r.lower, r.upper]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const ext = Math.max(0.1, ...values.map((v) => Math.abs(v)));
    const x = d3
      .scaleLinear()
      .domain([-ext, ext])
      .nice()
      .range([M.left, W - M.right]);
    const yOf = (i: number) => M.top + i * ROW + ROW / 2;
    svg
      .append('g')
      .attr('transform', `translate(0,${height - M.bottom})`)
      .call(d3.axisBottom(x).ticks(8));
    svg
      .append('line')
      .attr('x1', x(0))
      .attr('x2', x(0))
      .attr('y1', M.top - 6)
      .attr('y2', height - M.bottom)
      .attr('stroke', '#6b7785')
      .attr('stroke-dasharray', '3,3');
    svg
      .append('text')
      .attr('x', (M.left + W - M.right) / 2)
      .attr('y', height - 8)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text(xLabel);
    svg
      .append('text')
      .attr('x', W - M.right + 12)
      .attr('y', M.top - 10)
      .attr('font-size', 12)
      .attr('fill', '#5b6778')
      .text('events/n per arm · flags');
    rows.forEach((r, i) => {
      const g = svg.append('g').attr('class', r.heading ? 'forest-heading' : 'forest-row');
      if (r.muted) g.attr('class', 'forest-row muted').attr('data-muted', 'true');
      g.append('text')
        .attr('x', r.heading ? 8 : 22)
        .attr('y', yOf(i) + 4)
        .attr('font-size', 12.5)
        .attr('font-weight', r.heading ? 700 : 400)
        .attr('fill', r.muted ? '#9aa3ad' : null)
        .text(r.label);
      if (r.detail)
        g.append('text')
          .attr('x', W - M.right + 12)
          .attr('y', yOf(i) + 4)
          .attr('font-size', 11.5)
          .attr('fill', '#39424e')
          .text(`${r.detail}${r.flag ? ` · ${r.flag}` : ''}`);
      if (r.estimate === undefined || !Number.isFinite(r.estimate)) return;
      if (r.muted) {
        g.append('circle')
          .attr('cx', x(Math.max(x.domain()[0]!, Math.min(x.domain()[1]!, r.estimate))))
          .attr('cy', yOf(i))
          .attr('r', 3)
          .attr('fill', '#c3c9d0');
        return;
      }
      const lo = Math.max(x.domain()[0]!, r.lower ?? r.estimate);
      const hi = Math.min(x.domain()[1]!, r.upper ?? r.estimate);
      g.append('line').attr('x1', x(lo)).attr('x2', x(hi)).attr('y1', yOf(i)).attr('y2', yOf(i)).attr('stroke', '#1f5fa8').attr('stroke-width', 2);
      g.append('rect')
        .attr('class', 'point')
        .attr('x', x(r.estimate) - 5)
        .attr('y', yOf(i) - 5)
        .attr('width', 10)
        .attr('height', 10)
        .attr('fill', r.flag ? '#b54708' : '#1f5fa8');
    });
  }, [rows, height, xLabel]);
  return (
    <figure className="chart" data-chart="forest">
      <svg ref={ref} viewBox={`0 0 ${W} ${height}`} width="100%" role="img" aria-label={title} />
      <figcaption>{title}</figcaption>
    </figure>
  );
}
