'use client';
import * as d3 from 'd3';
import { useEffect, useRef } from 'react';
import { drawChartAxes } from './draw-chart-axes';

export interface CurveSeries {
  readonly key: string;
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly { readonly threshold: number; readonly netBenefit: number; readonly lower?: number; readonly upper?: number }[];
}

const FRAME = { width: 560, height: 360, margin: { top: 16, right: 16, bottom: 46, left: 58 } } as const;
const { width: W, height: H, margin: M } = FRAME;

/**
 * Net benefit against threshold probability, one line per variable, bootstrap intervals as bands.
 * The y axis runs from −0.05 to a little above the largest net benefit (treat-all's at t = 0 is the
 * prevalence), as dcurves plots it; curves below are clipped rather than stretching the axis. The
 * legend sits under the axes, never over the curves (which can run anywhere in the plot).
 */
export function DecisionCurveChart({ title, series }: { title: string; series: readonly CurveSeries[] }) {
  const ref = useRef<SVGSVGElement>(null);
  useEffect(() => {
    const svg = d3.select(ref.current);
    const finite = series.flatMap((s) => s.points.map((p) => p.netBenefit)).filter(Number.isFinite);
    const top = Math.max(0.05, ...finite) * 1.08;
    const { x, y } = drawChartAxes(svg, FRAME, {
      x: { domain: [0, 1], ticks: 10, format: d3.format('.0%'), title: 'Threshold probability' },
      y: { domain: [-0.05, top], ticks: 6, title: 'Net benefit' },
    });
    const clip = (v: number) => Math.max(-0.05, Math.min(top, v));
    const id = `clip-${Math.random().toString(36).slice(2)}`;
    svg
      .append('clipPath')
      .attr('id', id)
      .append('rect')
      .attr('x', M.left)
      .attr('y', M.top)
      .attr('width', W - M.left - M.right)
      .attr('height', H - M.top - M.bottom);
    const plot = svg.append('g').attr('clip-path', `url(#${id})`);
    for (const s of series) {
      const pts = s.points.filter((p) => Number.isFinite(p.netBenefit));
      const banded = pts.filter((p) => Number.isFinite(p.lower) && Number.isFinite(p.upper));
      if (banded.length > 1) {
        const area = d3
          .area<(typeof banded)[number]>()
          .x((p) => x(p.threshold))
          .y0((p) => y(clip(p.lower as number)))
          .y1((p) => y(clip(p.upper as number)));
        plot.append('path').attr('class', 'ci-band').attr('d', area(banded)).attr('fill', s.color).attr('opacity', 0.16);
      }
      const line = d3
        .line<(typeof pts)[number]>()
        .x((p) => x(p.threshold))
        .y((p) => y(clip(p.netBenefit)));
      plot
        .append('path')
        .attr('class', 'curve')
        .attr('data-variable', s.key)
        .attr('d', line(pts))
        .attr('fill', 'none')
        .attr('stroke', s.color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', s.dashed ? '6,4' : null);
    }
    drawLegend(svg, series);
  }, [series]);
  return (
    <figure className="chart" data-chart="decision-curve">
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={title} />
      <figcaption>{title}</figcaption>
    </figure>
  );
}

const LEGEND_ROW = 18;

/**
 * The legend below the x axis title, items laid out left to right and wrapped to the plot's width
 * (each text measured once drawn), and the svg's viewBox grown by the rows it took.
 */
function drawLegend(svg: d3.Selection<SVGSVGElement | null, unknown, null, undefined>, series: readonly CurveSeries[]) {
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${M.left},${H + 4})`);
  const room = W - M.left - M.right;
  let x = 0;
  let row = 0;
  for (const s of series) {
    const g = legend.append('g');
    g.append('line')
      .attr('x1', 0)
      .attr('x2', 22)
      .attr('y1', 6)
      .attr('y2', 6)
      .attr('stroke', s.color)
      .attr('stroke-width', 2.5)
      .attr('stroke-dasharray', s.dashed ? '6,4' : null);
    const text = g.append('text').attr('x', 28).attr('y', 10).attr('font-size', 12).text(s.label);
    const width = 28 + (text.node()?.getComputedTextLength() ?? 7 * s.label.length) + 20;
    if (x > 0 && x + width > room) {
      x = 0;
      row += 1;
    }
    g.attr('transform', `translate(${x},${row * LEGEND_ROW})`);
    x += width;
  }
  svg.attr('viewBox', `0 0 ${W} ${H + 4 + (row + 1) * LEGEND_ROW + 4}`);
}
