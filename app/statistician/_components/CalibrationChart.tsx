'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';

export interface CalibrationSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly bins: readonly { readonly meanPredicted: number; readonly observed: number; readonly observedLower: number; readonly observedUpper: number; readonly n: number }[];
}

const W = 440;
const H = 400;
const M = { top: 16, right: 16, bottom: 46, left: 56 };

/** Observed proportion (Wilson interval) against mean predicted risk per bin, with the line of perfect calibration. */
export function CalibrationChart({ title, series }: { title: string; series: readonly CalibrationSeries[] }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = d3.select(ref.current);
    svg.selectAll('*').remove();
    const x = d3
      .scaleLinear()
      .domain([0, 1])
      .range([M.left, W - M.right]);
    const y = d3
      .scaleLinear()
      .domain([0, 1])
      .range([H - M.bottom, M.top]);
    svg
      .append('g')
      .attr('transform', `translate(0,${H - M.bottom})`)
      .call(d3.axisBottom(x).ticks(5).tickFormat(d3.format('.0%')));
    svg
      .append('g')
      .attr('transform', `translate(${M.left},0)`)
      .call(d3.axisLeft(y).ticks(5).tickFormat(d3.format('.0%')));
    svg.append('line').attr('class', 'ideal').attr('x1', x(0)).attr('y1', y(0)).attr('x2', x(1)).attr('y2', y(1)).attr('stroke', '#8a96a3').attr('stroke-dasharray', '4,4');
    svg
      .append('text')
      .attr('x', (M.left + W - M.right) / 2)
      .attr('y', H - 8)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text('Mean predicted risk (model)');
    svg
      .append('text')
      .attr('transform', `translate(16,${(M.top + H - M.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle')
      .attr('font-size', 13)
      .text('Observed proportion high grade');
    series.forEach((s, k) => {
      const g = svg.append('g').attr('class', 'calibration-series');
      const offset = (k - (series.length - 1) / 2) * 0.006;
      for (const b of s.bins) {
        g.append('line')
          .attr('x1', x(b.meanPredicted + offset))
          .attr('x2', x(b.meanPredicted + offset))
          .attr('y1', y(b.observedLower))
          .attr('y2', y(b.observedUpper))
          .attr('stroke', s.color)
          .attr('opacity', 0.7);
        g.append('circle')
          .attr('class', 'bin')
          .attr('cx', x(b.meanPredicted + offset))
          .attr('cy', y(b.observed))
          .attr('r', 4.5)
          .attr('fill', s.color);
      }
      const line = d3
        .line<(typeof s.bins)[number]>()
        .x((b) => x(b.meanPredicted + offset))
        .y((b) => y(b.observed));
      g.append('path')
        .attr('d', line([...s.bins]))
        .attr('fill', 'none')
        .attr('stroke', s.color)
        .attr('stroke-width', 1.5);
    });
    const legend = svg
      .append('g')
      .attr('class', 'legend')
      .attr('transform', `translate(${M.left + 10},${M.top + 6})`);
    [...series.map((s) => ({ label: `${s.label}`, color: s.color, dashed: false })), { label: 'perfect calibration', color: '#8a96a3', dashed: true }].forEach((s, i) => {
      const g = legend.append('g').attr('transform', `translate(0,${i * 18})`);
      g.append('line')
        .attr('x1', 0)
        .attr('x2', 20)
        .attr('y1', 6)
        .attr('y2', 6)
        .attr('stroke', s.color)
        .attr('stroke-width', 2.5)
        .attr('stroke-dasharray', s.dashed ? '4,4' : null);
      g.append('text').attr('x', 26).attr('y', 10).attr('font-size', 12).text(s.label);
    });
  }, [series]);
  return (
    <figure className="chart" data-chart="calibration">
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title} />
      <figcaption>{title}</figcaption>
    </figure>
  );
}
