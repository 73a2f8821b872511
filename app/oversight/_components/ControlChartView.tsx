'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';

export interface ControlChartData {
  readonly title: string;
  readonly unit: string;
  readonly mean: number;
  readonly sd: number;
  readonly lowerLimit: number;
  readonly upperLimit: number;
  readonly baselineCount: number;
  readonly points: readonly { readonly observedAt: string; readonly value: number; readonly statistic: number; readonly signal: 'high' | 'low' | null }[];
}

const W = 520;
const H = 230;
const M = { top: 14, right: 14, bottom: 40, left: 58 };

/**
 * An EWMA chart on the figure's own scale: each case as a grey dot, the EWMA as a line (mean + Z·SD),
 * the control limits dashed, the baseline shaded, points past a limit in red.
 */
export function ControlChartView({ chart }: { chart: ControlChartData }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const n = chart.points.length;
    const ewma = chart.points.map((p) => chart.mean + p.statistic * chart.sd);
    const values = [...chart.points.map((p) => p.value), ...ewma, chart.lowerLimit, chart.upperLimit];
    const x = d3
      .scaleLinear()
      .domain([0, Math.max(1, n - 1)])
      .range([M.left, W - M.right]);
    const y = d3
      .scaleLinear()
      .domain(d3.extent(values) as [number, number])
      .nice()
      .range([H - M.bottom, M.top]);
    svg
      .append('rect')
      .attr('x', x(0))
      .attr('y', M.top)
      .attr('width', Math.max(0, x(chart.baselineCount - 0.5) - x(0)))
      .attr('height', H - M.bottom - M.top)
      .attr('fill', '#f1f4f8');
    svg
      .append('g')
      .attr('transform', `translate(0,${H - M.bottom})`)
      .call(
        d3
          .axisBottom(x)
          .ticks(Math.min(8, n))
          .tickFormat((i) => `${Number(i) + 1}`),
      );
    svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(5));
    svg
      .append('text')
      .attr('x', (M.left + W - M.right) / 2)
      .attr('y', H - 6)
      .attr('text-anchor', 'middle')
      .attr('font-size', 12)
      .text('Case, in the order observed (shaded: baseline)');
    svg
      .append('text')
      .attr('transform', `translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .attr('font-size', 12)
      .text(chart.unit || 'value');
    for (const [limit, label] of [
      [chart.lowerLimit, 'LCL'],
      [chart.upperLimit, 'UCL'],
    ] as const) {
      svg
        .append('line')
        .attr('class', 'limit')
        .attr('x1', x(0))
        .attr('x2', x(Math.max(1, n - 1)))
        .attr('y1', y(limit))
        .attr('y2', y(limit))
        .attr('stroke', '#b3261e')
        .attr('stroke-dasharray', '5,4');
      svg
        .append('text')
        .attr('x', W - M.right)
        .attr('y', y(limit) - 3)
        .attr('text-anchor', 'end')
        .attr('font-size', 11)
        .attr('fill', '#b3261e')
        .text(label);
    }
    svg
      .append('line')
      .attr('x1', x(0))
      .attr('x2', x(Math.max(1, n - 1)))
      .attr('y1', y(chart.mean))
      .attr('y2', y(chart.mean))
      .attr('stroke', '#8a96a3');
    svg
      .append('g')
      .selectAll('circle')
      .data(chart.points)
      .join('circle')
      .attr('class', 'case')
      .attr('cx', (_, i) => x(i))
      .attr('cy', (p) => y(p.value))
      .attr('r', 2.5)
      .attr('fill', '#9aa5b1');
    const line = d3
      .line<number>()
      .x((_, i) => x(i))
      .y((v) => y(v));
    svg.append('path').attr('d', line(ewma)).attr('fill', 'none').attr('stroke', '#274a74').attr('stroke-width', 1.8);
    svg
      .append('g')
      .selectAll('circle')
      .data(chart.points.map((p, i) => ({ p, i })).filter(({ p }) => p.signal))
      .join('circle')
      .attr('class', 'signal')
      .attr('cx', ({ i }) => x(i))
      .attr('cy', ({ i }) => y(ewma[i] as number))
      .attr('r', 4.5)
      .attr('fill', '#b3261e');
  }, [chart]);
  return (
    <figure className="chart" data-chart="control">
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={chart.title} />
      <figcaption>{chart.title}</figcaption>
    </figure>
  );
}
